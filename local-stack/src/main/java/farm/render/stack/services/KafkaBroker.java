package farm.render.stack.services;

import farm.render.core.wire.KafkaLogin;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A real single-node Kafka 4.4 broker (KRaft, broker and controller in one process) with share
 * groups enabled, its data under {@code dir}. Data, ports and the service login survive a restart
 * on the same folder.
 *
 * <p>Clients authenticate with SASL/SCRAM-SHA-512 on the one client listener and are authorized by
 * ACLs ({@code StandardAuthorizer}); the farm's own services log in as the super user whose
 * SCRAM credential is written into the metadata when the storage is formatted and whose password is
 * kept in {@code service-login.properties}. The controller listener uses SASL/PLAIN with the same
 * login (KRaft controllers cannot check SCRAM credentials: those live in the metadata they serve).
 */
public final class KafkaBroker implements AutoCloseable {
    /** The farm services' Kafka user: a super user, so it needs no ACLs. */
    public static final String SERVICE_USER = "farm";

    private final ServiceProcess process;
    private final int port;
    private final KafkaLogin login;

    private KafkaBroker(ServiceProcess process, int port, KafkaLogin login) {
        this.process = process;
        this.port = port;
        this.login = login;
    }

    public static KafkaBroker start(Path dir) {
        return start(dir, FarmLayout.locate().kafkaLib());
    }

    public static KafkaBroker start(Path workDir, Path kafkaLib) {
        Path dir = workDir.toAbsolutePath();
        try {
            // the metadata log under data/ holds the SCRAM keys: the whole folder is the owner's alone
            SecretFiles.privateDirectory(dir);
            int port = Ports.remembered(dir, "broker");
            int controller = Ports.remembered(dir, "controller");
            KafkaLogin login = serviceLogin(dir);
            Path config = dir.resolve("server.properties");
            SecretFiles.write(config, serverProperties(dir, port, controller, login));
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, log4jProperties(dir.resolve("broker.log")));
            String classpath = kafkaLib.toAbsolutePath() + "/*";
            List<String> jvm = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                    "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath);
            Path clusterIdFile = dir.resolve("cluster.id");
            // an id that starts with '-' reads as an option to the format tool, which then formats nothing
            if (!Files.exists(clusterIdFile) || Files.readString(clusterIdFile).strip().startsWith("-")) {
                Files.writeString(clusterIdFile, newClusterId());
            }
            String clusterId = Files.readString(clusterIdFile).strip();
            format(dir, concat(jvm, "kafka.tools.StorageTool", "format", "-c", config.toString(),
                    "--cluster-id", clusterId, "--standalone", "--ignore-formatted",
                    "--add-scram", "SCRAM-SHA-512=[name=" + login.username() + ",password=" + login.password() + "]"));
            List<String> brokerCommand = new java.util.ArrayList<>(List.of(ServiceProcess.java()));
            brokerCommand.addAll(concat(jvm, "kafka.Kafka", config.toString()));
            ServiceProcess broker = ServiceProcess.start("kafka", brokerCommand,
                    dir.resolve("broker.out"), Map.of());
            KafkaBroker started = new KafkaBroker(broker, port, login);
            try {
                broker.awaitReady(() -> ServiceProcess.isListening(port)
                        && logHas(dir.resolve("broker.log"), "Kafka Server started"), Duration.ofSeconds(90));
            } catch (RuntimeException e) {
                started.close();
                // the broker logs through log4j to broker.log, not to its stdout: its last lines say why it stopped
                throw new IllegalStateException(e.getMessage() + "\nlast lines of " + dir.resolve("broker.log") + ":\n"
                        + lastLines(dir.resolve("broker.log"), 30), e);
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + dir, e);
        }
    }

    /**
     * Formats the storage with the service login's SCRAM credential. The password reaches the
     * format tool in a mode-600 argument file ({@code java @file}), not on its command line, and its
     * output, which echoes the credential, is kept only while formatting fails.
     */
    private static void format(Path dir, List<String> arguments) throws IOException {
        Path argFile = dir.resolve("format.args");
        Path log = dir.resolve("format.log");
        Files.deleteIfExists(log);
        StringBuilder text = new StringBuilder();
        for (String a : arguments) {
            text.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        SecretFiles.write(argFile, text.toString());
        try (ServiceProcess formatting = ServiceProcess.start("kafka-storage-format",
                List.of(ServiceProcess.java(), "@" + argFile), log, Map.of())) {
            formatting.awaitReady(() -> !formatting.isAlive(), Duration.ofSeconds(60));
            int status = formatting.exitCode().orElse(-1);
            if (status != 0) {
                throw new IllegalStateException("formatting the Kafka storage failed with status " + status + "; its output is in "
                        + log + " (mode 600: it holds the service login)");
            }
            Files.deleteIfExists(log);
        } finally {
            Files.deleteIfExists(argFile);
        }
    }

    /** 16 random bytes in URL-safe base64, as Kafka's own cluster ids, never starting with '-'. */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[16];
        String text;
        do {
            random.nextBytes(id);
            text = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (text.startsWith("-"));
        return text;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The farm services' login: a super user. Workers get their own, narrower logins from the coordinator. */
    public KafkaLogin login() {
        return login;
    }

    /** The service login as the farm's services read it: {@code FARM_KAFKA_USER} and {@code FARM_KAFKA_PASSWORD}. */
    public Map<String, String> loginEnvironment() {
        return Map.of(KafkaLogin.USER_ENV, login.username(), KafkaLogin.PASSWORD_ENV, login.password());
    }

    /** Bootstrap servers plus the service login: what a farm service's Kafka client needs. */
    public Map<String, Object> clientProperties() {
        return KafkaLogin.with(Optional.of(login), Map.of("bootstrap.servers", bootstrapServers()));
    }

    /**
     * The service login kept in the work dir, created with the storage. Storage formatted before
     * the farm's Kafka had logins holds no SCRAM credential and cannot get one offline: it is moved
     * aside (its topics were tasks and results of jobs, which stay unfinished) and formatted anew.
     */
    private static KafkaLogin serviceLogin(Path dir) throws IOException {
        Path file = dir.resolve("service-login.properties");
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                props.load(r);
            }
            return new KafkaLogin(props.getProperty("username"), props.getProperty("password"));
        }
        Path data = dir.resolve("data");
        if (Files.exists(data)) {
            Path aside = dir.resolve("data.before-sasl-" + System.currentTimeMillis());
            Files.move(data, aside);
            System.err.println("Kafka storage in " + data + " was formatted before Kafka logins (SASL/SCRAM) were required;"
                    + " moved it to " + aside + " and formatting anew. Jobs that were running keep their tiles in the"
                    + " database but lost their queued tasks: cancel and resubmit them.");
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        KafkaLogin login = new KafkaLogin(SERVICE_USER, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        props.setProperty("username", login.username());
        props.setProperty("password", login.password());
        java.io.StringWriter text = new java.io.StringWriter();
        props.store(text, "the farm services' Kafka login (super user)");
        SecretFiles.write(file, text.toString());
        return login;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }

    private static boolean logHas(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        var all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static String serverProperties(Path dir, int port, int controller, KafkaLogin login) {
        String user = login.username();
        String password = login.password();
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=CLIENT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=CLIENT",
                "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                "listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"" + user + "\" password=\"" + password + "\";",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + user + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + user,
                "allow.everyone.if.no.acl.found=false",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // One machine: quick heartbeats, and locks short enough that a crashed worker's tile returns fast.
                "group.share.min.heartbeat.interval.ms=500",
                "group.share.heartbeat.interval.ms=500",
                "group.share.min.record.lock.duration.ms=1000",
                "group.consumer.min.heartbeat.interval.ms=500",
                "group.consumer.heartbeat.interval.ms=500",
                "") ;
    }

    private static String log4jProperties(Path log) {
        return String.join("\n",
                "status = warn",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + log,
                "appender.file.filePermissions = rw-------",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "logger.kafka.name = kafka",
                "logger.kafka.level = info",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = warn",
                "");
    }

    private static String lastLines(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }
}
