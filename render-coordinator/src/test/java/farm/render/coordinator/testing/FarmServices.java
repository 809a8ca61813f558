package farm.render.coordinator.testing;

import farm.render.stack.services.Database;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.KafkaBroker;
import farm.render.stack.services.ObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real PostgreSQL, S3Proxy and Kafka for coordinator tests, started as their own processes by the
 * local-stack starters (no mocks, no Docker), and pointed at by the coordinator's configuration.
 */
public class FarmServices implements QuarkusTestResourceLifecycleManager {
    private Database database;
    private ObjectStore objectStore;
    private KafkaBroker kafka;

    @Override
    public Map<String, String> start() {
        try {
            FarmLayout layout = FarmLayout.locate();
            Path dir = Files.createTempDirectory("coordinator-test-services");
            database = Database.start(dir.resolve("postgres"));
            objectStore = ObjectStore.start(dir.resolve("s3"), layout.s3proxyJar());
            kafka = KafkaBroker.start(dir.resolve("kafka"), layout.kafkaLib());
            // as in the local stack: the tests run as the least-privileged login, so a missing grant fails them
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", database.jdbcUrl()),
                    Map.entry("quarkus.datasource.username", database.app().username()),
                    Map.entry("quarkus.datasource.password", database.app().password()),
                    Map.entry("quarkus.flyway.username", database.owner().username()),
                    Map.entry("quarkus.flyway.password", database.owner().password()),
                    Map.entry("farm.s3.endpoint", objectStore.endpoint()),
                    Map.entry("farm.s3.access-key", objectStore.accessKey()),
                    Map.entry("farm.s3.secret-key", objectStore.secretKey()),
                    Map.entry("kafka.bootstrap.servers", kafka.bootstrapServers()),
                    Map.entry("farm.kafka.sasl.username", kafka.login().username()),
                    Map.entry("farm.kafka.sasl.password", kafka.login().password()),
                    Map.entry("farm.accounts.bootstrap-token", TestAccounts.OPERATOR_TOKEN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        for (AutoCloseable c : new AutoCloseable[]{kafka, objectStore, database}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort: the processes die with the test JVM's temp folder anyway
                }
            }
        }
    }
}
