package farm.render.stack.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real S3 server (S3Proxy on its filesystem backend) with its objects under {@code dir/data}.
 * The credentials are generated once per work directory and kept there, like the configuration
 * that holds them, in mode-600 files; S3Proxy reads them from the file, not from its command line.
 */
public final class ObjectStore implements AutoCloseable {
    private final ServiceProcess process;
    private final int port;
    private final String accessKey;
    private final String secretKey;

    private ObjectStore(ServiceProcess process, int port, String accessKey, String secretKey) {
        this.process = process;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static ObjectStore start(Path dir) {
        return start(dir, FarmLayout.locate().s3proxyJar());
    }

    public static ObjectStore start(Path dir, Path s3proxyJar) {
        try {
            dir = SecretFiles.privateDirectory(dir.toAbsolutePath());
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = Ports.remembered(dir, "s3");
            Path secretFile = dir.resolve("credential");
            if (!Files.exists(secretFile)) {
                byte[] secret = new byte[20];
                new SecureRandom().nextBytes(secret);
                SecretFiles.write(secretFile, HexFormat.of().formatHex(secret));
            }
            String accessKey = "farm-local";
            String secretKey = Files.readString(secretFile).strip();
            if (!Files.getPosixFilePermissions(secretFile).equals(SecretFiles.OWNER_ONLY_FILE)) {
                SecretFiles.write(secretFile, secretKey); // kept wider by an older version
            }
            Path config = dir.resolve("s3proxy.conf");
            SecretFiles.write(config, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    // the browser PUTs upload parts straight to the store from the coordinator's page
                    "s3proxy.cors-allow-all=true",
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d %level %logger{20} %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="out"/></root>
                    </configuration>
                    """);
            ServiceProcess process = ServiceProcess.start("s3proxy", List.of(ServiceProcess.java(), "-Xmx256m",
                    "-Dlogback.configurationFile=" + logback, "-jar", s3proxyJar.toAbsolutePath().toString(),
                    "--properties", config.toString()), dir.resolve("s3proxy.log"), Map.of());
            ObjectStore store = new ObjectStore(process, port, accessKey, secretKey);
            try {
                process.awaitReady(() -> ServiceProcess.isListening(port), Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy in " + dir, e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** What a coordinator needs to reach this store, as the environment it reads ({@code application.properties}). */
    public Map<String, String> coordinatorEnvironment() {
        return Map.of("FARM_S3_ENDPOINT", endpoint(), "FARM_S3_ACCESS_KEY", accessKey, "FARM_S3_SECRET_KEY", secretKey);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
