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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Real PostgreSQL, S3Proxy and Kafka for coordinator tests, started as their own processes by the
 * local-stack starters (no mocks, no Docker), and pointed at by the coordinator's configuration.
 */
public class FarmServices implements QuarkusTestResourceLifecycleManager {
    // system properties reach the test's class loader too; outside the farm.* and quarkus.* config namespaces
    private static final String URL_PROPERTY = "coordinator-tests.db.url";
    private static final String SUPERUSER_PASSWORD_PROPERTY = "coordinator-tests.db.superuser-password";

    private Database database;
    private ObjectStore objectStore;
    private KafkaBroker kafka;

    @Override
    public Map<String, String> start() {
        try {
            FarmLayout layout = FarmLayout.locate();
            Path dir = Files.createTempDirectory("coordinator-test-services");
            database = Database.start(dir.resolve("postgres"));
            System.setProperty(URL_PROPERTY, database.jdbcUrl());
            System.setProperty(SUPERUSER_PASSWORD_PROPERTY, database.superuser().password());
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

    /**
     * A superuser connection to the tests' database, for a test that plays someone with full rights
     * on it (the coordinator's own login cannot change the ledger).
     */
    public static Connection superuserConnection() throws SQLException {
        return DriverManager.getConnection(System.getProperty(URL_PROPERTY), Database.SUPERUSER,
                System.getProperty(SUPERUSER_PASSWORD_PROPERTY));
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
