package farm.render.stack.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Kafka 4.4 broker (KRaft, broker and controller in one process) with share
 * groups enabled, its data under {@code dir}. Data and ports survive a restart on the same folder.
 */
public final class KafkaBroker implements AutoCloseable {
    private final ServiceProcess process;
    private final int port;

    private KafkaBroker(ServiceProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static KafkaBroker start(Path dir) {
        return start(dir, FarmLayout.locate().kafkaLib());
    }

    public static KafkaBroker start(Path workDir, Path kafkaLib) {
        Path dir = workDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
            int port = Ports.remembered(dir, "broker");
            int controller = Ports.remembered(dir, "controller");
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(dir, port, controller));
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, log4jProperties(dir.resolve("broker.log")));
            String classpath = kafkaLib.toAbsolutePath() + "/*";
            List<String> jvm = List.of(ServiceProcess.java(), "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                    "-Dlog4j2.configurationFile=" + log4j, "-cp", classpath);
            Path clusterIdFile = dir.resolve("cluster.id");
            if (!Files.exists(clusterIdFile)) {
                byte[] id = new byte[16];
                new SecureRandom().nextBytes(id);
                Files.writeString(clusterIdFile, Base64.getUrlEncoder().withoutPadding().encodeToString(id));
            }
            String clusterId = Files.readString(clusterIdFile).strip();
            List<String> format = concat(jvm, "kafka.tools.StorageTool", "format", "-c", config.toString(),
                    "--cluster-id", clusterId, "--standalone", "--ignore-formatted");
            try (ServiceProcess formatting = ServiceProcess.start("kafka-storage-format", format, dir.resolve("format.log"), Map.of())) {
                formatting.awaitReady(() -> !formatting.isAlive(), Duration.ofSeconds(60));
            }
            ServiceProcess broker = ServiceProcess.start("kafka", concat(jvm, "kafka.Kafka", config.toString()),
                    dir.resolve("broker.out"), Map.of());
            KafkaBroker started = new KafkaBroker(broker, port);
            try {
                broker.awaitReady(() -> ServiceProcess.isListening(port)
                        && logHas(dir.resolve("broker.log"), "Kafka Server started"), Duration.ofSeconds(90));
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + dir, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
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

    private static String serverProperties(Path dir, int port, int controller) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
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
}
