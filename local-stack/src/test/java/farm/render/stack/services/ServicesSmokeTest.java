package farm.render.stack.services;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.apache.kafka.clients.admin.Admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ServicesSmokeTest {
    @Test
    void postgresAnswersQueriesAndKeepsDataAcrossRestarts(@TempDir Path dir) throws Exception {
        try (Database db = Database.start(dir)) {
            try (var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                c.createStatement().execute("create table kept(v int); insert into kept values (42)");
            }
        }
        try (Database db = Database.start(dir);
             var c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
            ResultSet rs = c.createStatement().executeQuery("select v from kept");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void s3proxyServesS3AndStopsWithItsProcess(@TempDir Path dir) throws Exception {
        long pid;
        try (ObjectStore store = ObjectStore.start(dir, FarmLayout.locate().s3proxyJar())) {
            pid = store.pid();
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(store.endpoint() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            // an unsigned request is refused by a real S3 endpoint
            assertThat(r.statusCode()).isEqualTo(403);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void kafkaBrokerStartsAndStops(@TempDir Path dir) {
        long pid;
        try (KafkaBroker broker = KafkaBroker.start(dir, FarmLayout.locate().kafkaLib())) {
            pid = broker.pid();
            assertThat(ServiceProcess.isListening(Integer.parseInt(broker.bootstrapServers().split(":")[1]))).isTrue();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aClusterIdStartingWithADashIsReplacedSoTheStorageIsFormattedAndTheBrokerStarts(@TempDir Path dir) throws Exception {
        // such an id once read as an option to the format tool: the broker then stopped on "No readable meta.properties"
        Files.writeString(dir.resolve("cluster.id"), "-" + KafkaBroker.newClusterId().substring(1));
        try (KafkaBroker broker = KafkaBroker.start(dir, FarmLayout.locate().kafkaLib())) {
            assertThat(ServiceProcess.isListening(Integer.parseInt(broker.bootstrapServers().split(":")[1]))).isTrue();
        }
        assertThat(Files.readString(dir.resolve("cluster.id"))).doesNotStartWith("-");
        assertThat(Stream.generate(KafkaBroker::newClusterId).limit(10_000)).noneMatch(id -> id.startsWith("-"));
    }

    @Test
    void kafkaStorageFormattedBeforeLoginsIsMovedAsideAndTheServiceLoginWorks(@TempDir Path dir) throws Exception {
        Path old = Files.createDirectories(dir.resolve("data"));
        Files.writeString(old.resolve("meta.properties"), "version=1\nnode.id=1\n");
        try (KafkaBroker broker = KafkaBroker.start(dir, FarmLayout.locate().kafkaLib());
             Admin admin = Admin.create(broker.clientProperties())) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("data.before-sasl-"));
            }
            assertThat(Files.getPosixFilePermissions(dir.resolve("service-login.properties")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }
}
