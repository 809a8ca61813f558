package farm.render.coordinator.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.testing.FarmServices;
import farm.render.coordinator.testing.TestAccounts;
import farm.render.coordinator.testing.TinyScenes;
import farm.render.core.identity.Ed25519;
import farm.render.core.ledger.LedgerAudit;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import farm.render.core.ledger.LedgerExport;
import farm.render.core.ledger.LedgerSeal;
import farm.render.core.ledger.LedgerVerifyMain;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.Writer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static farm.render.coordinator.testing.TestAccounts.as;
import static farm.render.coordinator.testing.TestAccounts.asOperator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ledger against the attacks of a database editor and of whoever hands over an export, on the real
 * PostgreSQL and Kafka: edited balances, rows changed or removed, keys in the database, re-signed or cut exports.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class LedgerIntegrityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Transactions tx;
    @Inject
    Ledger ledger;
    @Inject
    LedgerIntegrity integrity;
    @Inject
    LedgerCheckpoints checkpoints;
    @Inject
    CoordinatorKeys keys;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    farm.render.coordinator.dispatch.WorkerLogins workerLogins;
    @Inject
    farm.render.coordinator.dispatch.KafkaClients kafkaClients;
    @TestHTTPResource("/")
    URL base;
    @TempDir
    Path dir;

    private static Response submitJob(String account, String digest) {
        return as(account).contentType("application/json")
                .body(Map.of("sceneDigest", digest, "width", 8, "height", 8, "spp", 1, "tileSize", 8)).post("/api/v1/jobs");
    }

    /** A connection with full rights on the database: someone who edits rows by hand, or creates roles. */
    private Connection superuser() throws SQLException {
        return farm.render.coordinator.testing.FarmServices.superuserConnection(); // the app's own login may not
    }

    /** Runs {@code sql} with triggers off, as an owner or superuser who edits rows by hand can. */
    private void asTableOwner(String sql) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica");
            try {
                s.executeUpdate(sql);
            } finally {
                s.execute("SET session_replication_role = DEFAULT");
            }
        }
    }

    private String export() {
        return asOperator().get("/api/v1/ledger/export").then().statusCode(200).extract().asString();
    }

    record Run(int status, String out, String err) {
    }

    private Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LedgerVerifyMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEditedBalanceIsFoundByThePeriodicCheckAndByLedgerVerifyAndStopsEscrowUntilItAgrees() throws Exception {
        String artist = TestAccounts.fresh("tamper");
        String digest = as(artist).contentType("application/octet-stream").body(TinyScenes.gltf()).queryParam("filename", "t.gltf")
                .post("/api/v1/scenes").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("digest");
        submitJob(artist, digest).then().statusCode(201);
        String account = Accounts.artist(artist);
        // a direct edit is refused by the database whatever the role's privileges
        assertThatThrownBy(() -> {
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = balance + 5000000000000 WHERE id = '" + account + "'");
            }
        }).hasMessageContaining("changes only through postings");

        asTableOwner("UPDATE accounts SET balance = balance + 5000000000000 WHERE id = '" + account + "'");
        try {
            // the periodic check (every second in tests) finds it: escrow is refused with a reason, not spent
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> submitJob(artist, digest).then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.equalTo("https://render.farm/problems/ledger-integrity"))
                    .body("detail", org.hamcrest.Matchers.containsString(account)));
            given().get("/q/health").then().statusCode(503)
                    .body("checks.find { it.name == 'ledger-integrity' }.status", org.hamcrest.Matchers.equalTo("DOWN"));
            assertThat(given().get("/q/metrics").then().extract().asString()).containsPattern("(?m)^farm_ledger_integrity(\\{[^}]*\\})? 0\\.0$");

            Path file = dir.resolve("edited.jsonl");
            Files.writeString(file, export());
            Run run = verify(file.toString(), "--key", keys.ledgerPublicKey());
            assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
            assertThat(run.out()).startsWith("BAD 1 balance differs from the postings: " + account + " holds");
        } finally {
            asTableOwner("UPDATE accounts SET balance = balance - 5000000000000 WHERE id = '" + account + "'");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> submitJob(artist, digest).then().statusCode(201));
        assertThat(integrity.problem()).isEmpty();
        LedgerIntegrity.BalanceCheck check = integrity.checkBalances();
        assertThat(check.count()).isZero();
        System.out.printf("balance check: %d accounts in %d ms%n", check.accounts(), check.took().toMillis());
    }

    @Test
    void postingsAndEntriesRefuseUpdateDeleteAndTruncateAndTheAppRoleMayOnlyInsert() throws Exception {
        String artist = Accounts.artist(TestAccounts.fresh("rows"));
        tx.inTransaction(c -> ledger.openArtist(c, artist, 1_000));
        String posting = "(SELECT max(id) FROM ledger_postings)";
        String entry = "(SELECT max(id) FROM ledger_entries)";
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE ledger_postings SET amount = amount * 2 WHERE id = " + posting))
                    .hasMessageContaining("ledger postings are never changed");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM ledger_postings WHERE id = " + posting))
                    .hasMessageContaining("ledger rows are never deleted");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE ledger_entries SET memo = 'edited' WHERE id = " + entry))
                    .hasMessageContaining("is never changed");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM ledger_entries WHERE id = " + entry))
                    .hasMessageContaining("ledger rows are never deleted");
            assertThatThrownBy(() -> s.execute("TRUNCATE ledger_postings")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("TRUNCATE ledger_entries CASCADE")).hasMessageContaining("append-only");
        }

        // the app role with the grants docs/DEPLOYMENT.md lists: the ledger works, and changing rows is refused
        String role = "ledger_app_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " NOLOGIN");
            s.execute("GRANT USAGE ON SCHEMA public TO " + role);
            s.execute("GRANT SELECT, INSERT ON ledger_entries, ledger_postings, tile_payments, tile_slashes TO " + role);
            s.execute("GRANT SELECT, INSERT, UPDATE (balance) ON accounts TO " + role);
            s.execute("GRANT SELECT, UPDATE (last_entry, last_hash) ON ledger_head TO " + role);
            s.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role);
        }
        try {
            String other = Accounts.artist(TestAccounts.fresh("approle"));
            String job = "job-" + UUID.randomUUID();
            try (Connection c = superuser()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET ROLE " + role);
                }
                ledger.openArtist(c, other, 5_000);
                ledger.open(c, Accounts.escrow(job));
                ledger.transfer(c, EntryKind.ESCROW, job, "quote", other, Accounts.escrow(job), 2_000);
                c.commit();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    for (String sql : List.of("UPDATE ledger_postings SET amount = 1 WHERE id = " + posting,
                            "DELETE FROM ledger_postings WHERE id = " + posting,
                            "UPDATE ledger_entries SET memo = 'x' WHERE id = " + entry,
                            "DELETE FROM ledger_entries WHERE id = " + entry,
                            "TRUNCATE ledger_postings",
                            "ALTER TABLE ledger_postings DISABLE TRIGGER ALL",
                            "ALTER TABLE accounts DISABLE TRIGGER accounts_balance_from_postings")) {
                        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501"));
                    }
                    assertThatThrownBy(() -> s.execute("UPDATE accounts SET balance = 999999999 WHERE id = '" + other + "'"))
                            .hasMessageContaining("changes only through postings");
                    s.execute("RESET ROLE");
                }
            }
            assertThat(tx.<Long>inTransaction(c -> ledger.balance(c, other))).isEqualTo(3_000);
        } finally {
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    @Test
    void theSigningKeysAreOwnerOnlyFilesAndTheDatabaseHoldsNoPrivateKey() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.dir()))).isEqualTo("rwx------");
        for (String f : List.of(CoordinatorKeys.TASK_FILE, CoordinatorKeys.LEDGER_FILE)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.dir().resolve(f)))).as(f).isEqualTo("rw-------");
        }
        assertThat(keys.publicKey()).isNotEqualTo(keys.ledgerPublicKey());
        given().auth().oauth2(TestAccounts.token(TestAccounts.fresh("id"))).get("/api/v1/identity").then().statusCode(200)
                .body("publicKey", org.hamcrest.Matchers.equalTo(keys.publicKey()))
                .body("ledgerPublicKey", org.hamcrest.Matchers.equalTo(keys.ledgerPublicKey()));
        String taskPrivate = Ed25519.encodePrivate(keys.taskSigning().getPrivate());
        String ledgerPrivate = Ed25519.encodePrivate(keys.ledgerSigning().getPrivate());
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT to_regclass('coordinator_identity')")) {
                r.next();
                assertThat(r.getString(1)).as("the old key table").isNull();
            }
            // no text column of any table holds either private key
            List<String[]> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery("""
                    SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'jsonb')""")) {
                while (r.next()) {
                    columns.add(new String[]{r.getString(1), r.getString(2)});
                }
            }
            for (String[] col : columns) {
                try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM \"" + col[0] + "\" WHERE \"" + col[1]
                        + "\"::text LIKE ? OR \"" + col[1] + "\"::text LIKE ?")) {
                    q.setString(1, "%" + taskPrivate.substring(20, 60) + "%");
                    q.setString(2, "%" + ledgerPrivate.substring(20, 60) + "%");
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        assertThat(r.getLong(1)).as(col[0] + "." + col[1]).isZero();
                    }
                }
            }
        }
    }

    private long sealedEntriesNow() {
        return tx.inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
                    SELECT count(*) FROM ledger_entries WHERE entry_hash IS NOT NULL
                    AND id <= (SELECT COALESCE(last_entry, 0) FROM ledger_head)""")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    private LedgerSeal awaitCheckpointCovering(long entries) {
        LedgerSeal[] seal = new LedgerSeal[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            seal[0] = JSON.readValue(asOperator().get("/api/v1/ledger/checkpoint").then().statusCode(200).extract().asString(),
                    LedgerSeal.class);
            assertThat(seal[0].entries()).isGreaterThanOrEqualTo(entries);
        });
        return seal[0];
    }

    private static Path write(Path file, String headerKey, List<LedgerEntry> entries) throws Exception {
        try (Writer w = Files.newBufferedWriter(file)) {
            LedgerExport.writeHeader(w, headerKey);
            for (LedgerEntry e : entries) {
                LedgerExport.writeEntry(w, e);
            }
            LedgerExport.writeBalances(w, LedgerAudit.recompute(entries)); // the forger recomputes balances to match
        }
        return file;
    }

    @Test
    void aCutOrResignedExportFailsAgainstTheCoordinatorsKeyAndCheckpoint() throws Exception {
        tx.inTransaction(c -> ledger.openArtist(c, Accounts.artist(TestAccounts.fresh("seal")), 1_000));
        LedgerSeal first = awaitCheckpointCovering(sealedEntriesNow());
        assertThat(first.problem(Ed25519.decodePublic(keys.ledgerPublicKey()))).isNull();

        String exported = export();
        Path file = dir.resolve("ledger.jsonl");
        Files.writeString(file, exported);
        String coordinator = base.toString();
        Run ok = verify(file.toString(), "--coordinator", coordinator, "--token", TestAccounts.OPERATOR_TOKEN);
        assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("OK ").contains("reaches checkpoint #");

        LedgerExport.Contents contents = LedgerExport.read(new BufferedReader(new StringReader(exported)));
        List<LedgerEntry> entries = contents.entries();
        assertThat(entries.size()).isGreaterThanOrEqualTo(2);
        Path cut = write(dir.resolve("cut.jsonl"), contents.header().coordinatorPublicKey(), entries.subList(0, entries.size() - 2));
        Run cutRun = verify(cut.toString(), "--coordinator", coordinator, "--token", TestAccounts.OPERATOR_TOKEN);
        assertThat(cutRun.status()).as(cutRun.out() + cutRun.err()).isEqualTo(1);
        assertThat(cutRun.out()).startsWith("BAD the export holds " + (entries.size() - 2) + " entries but checkpoint #")
                .contains("its tail was cut");
        Path checkpointFile = dir.resolve("checkpoint.json");
        Files.writeString(checkpointFile, JSON.writeValueAsString(first));
        assertThat(verify(cut.toString(), "--key", keys.ledgerPublicKey(), "--checkpoint", checkpointFile.toString()).status()).isEqualTo(1);

        KeyPair forger = Ed25519.generate();
        List<LedgerEntry> resigned = new ArrayList<>();
        String prev = LedgerChain.GENESIS;
        for (LedgerEntry e : entries) {
            LedgerEntry s = LedgerChain.seal(e.id(), e.kind(), e.jobId(), e.memo(), e.postings(), prev, forger.getPrivate());
            resigned.add(s);
            prev = s.hash();
        }
        Path forged = write(dir.resolve("resigned.jsonl"), Ed25519.encodePublic(forger.getPublic()), resigned);
        Run byCoordinator = verify(forged.toString(), "--coordinator", coordinator, "--token", TestAccounts.OPERATOR_TOKEN);
        assertThat(byCoordinator.status()).isEqualTo(1);
        assertThat(byCoordinator.out()).contains("not the pinned ledger key " + keys.ledgerPublicKey());
        Path keyFile = dir.resolve("ledger.pub");
        Files.writeString(keyFile, keys.ledgerPublicKey() + "\n");
        Run byKey = verify(forged.toString(), "--key", keyFile.toString());
        assertThat(byKey.status()).isEqualTo(1);
        assertThat(byKey.out()).contains("not the pinned ledger key");
        Path forgedHeader = write(dir.resolve("resigned-header.jsonl"), keys.ledgerPublicKey(), resigned);
        assertThat(verify(forgedHeader.toString(), "--key", keyFile.toString()).out()).contains("signature does not verify");
    }

    @Test
    void oneReplicaSealsAtATimeAndEachCheckpointCarriesThePreviousOnesHash() throws Exception {
        LedgerSeal before = awaitCheckpointCovering(sealedEntriesNow());
        try (Connection holder = superuser(); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + LedgerCheckpoints.SEAL_LOCK + ")"); // another replica is sealing
            try {
                String artist = Accounts.artist(TestAccounts.fresh("lock"));
                tx.inTransaction(c -> ledger.openArtist(c, artist, 1_000));
                List<EntryDraft> batch = new ArrayList<>();
                for (int i = 0; i < 4_999; i++) {
                    batch.add(new EntryDraft(EntryKind.MINT, null, "grant " + i, List.of(new Posting(Accounts.MINT, -1), new Posting(artist, 1))));
                }
                tx.inTransaction(c -> ledger.postAll(c, batch));
                assertThat(checkpoints.seal()).as("no seal without the sealer's lock").isEmpty();
                assertThat(checkpoints.latest().orElseThrow().sequence()).isEqualTo(before.sequence());
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + LedgerCheckpoints.SEAL_LOCK + ")");
            }
        }
        LedgerSeal next = awaitCheckpointCovering(before.entries() + 5_000);
        String metrics = given().get("/q/metrics").then().extract().asString();
        System.out.printf("checkpoint round over 5000 new entries: %s%n", metrics.lines()
                .filter(l -> l.startsWith("farm_ledger_checkpoint_round_seconds_max")).findFirst().orElse("(no timer)"));
        assertThat(next.sequence()).isEqualTo(before.sequence() + 1);
        assertThat(next.previous()).isEqualTo(before.hash());
        assertThat(next.problem(Ed25519.decodePublic(keys.ledgerPublicKey()))).isNull();
    }

    @Test
    void entriesCutFromTheDatabaseAfterACheckpointAreFoundAndStopEscrow() throws Exception {
        tx.inTransaction(c -> ledger.openArtist(c, Accounts.artist(TestAccounts.fresh("cutdb")), 1_000));
        LedgerSeal sealed = awaitCheckpointCovering(sealedEntriesNow());
        long last = sealed.shards().get(0).lastEntryId();
        List<Object[]> postings = new ArrayList<>();
        Object[] entryRow = new Object[8];
        Object[] head = new Object[2];
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("SET session_replication_role = replica"); // an owner who edits rows by hand, triggers off
            try {
                try (ResultSet r = s.executeQuery("SELECT id, kind, job_id, memo, prev_hash, entry_hash, signature, created_at FROM ledger_entries WHERE id = " + last)) {
                    r.next();
                    for (int i = 0; i < 8; i++) {
                        entryRow[i] = r.getObject(i + 1);
                    }
                }
                try (ResultSet r = s.executeQuery("SELECT id, entry_id, account, amount FROM ledger_postings WHERE entry_id = " + last)) {
                    while (r.next()) {
                        postings.add(new Object[]{r.getLong(1), r.getLong(2), r.getString(3), r.getLong(4)});
                    }
                }
                try (ResultSet r = s.executeQuery("SELECT last_entry, last_hash FROM ledger_head")) {
                    r.next();
                    head[0] = r.getLong(1);
                    head[1] = r.getString(2);
                }
                assertThat(head[0]).as("nothing was written after the checkpoint").isEqualTo(last);
                s.executeUpdate("DELETE FROM ledger_postings WHERE entry_id = " + last);
                s.executeUpdate("DELETE FROM ledger_entries WHERE id = " + last);
                s.executeUpdate("UPDATE ledger_head SET last_entry = (SELECT max(id) FROM ledger_entries),"
                        + " last_hash = (SELECT entry_hash FROM ledger_entries ORDER BY id DESC LIMIT 1)");
            } finally {
                s.execute("SET session_replication_role = DEFAULT");
            }
        }
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(integrity.problem()).hasValueSatisfying(p -> assertThat(p).contains("entries were removed from the database")));
            String job = "job-" + UUID.randomUUID();
            String artist = Accounts.artist(TestAccounts.fresh("cutdb-escrow"));
            assertThatThrownBy(() -> tx.inTransaction(c -> {
                ledger.openArtist(c, artist, 1_000);
                ledger.open(c, Accounts.escrow(job));
                return ledger.transfer(c, EntryKind.ESCROW, job, "quote", artist, Accounts.escrow(job), 10);
            })).isInstanceOf(LedgerIntegrityException.class).hasMessageContaining("behind checkpoint #" + sealed.sequence());
        } finally {
            try (Connection c = superuser(); Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = replica");
                try {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO ledger_entries (id, kind, job_id, memo, prev_hash, entry_hash, signature, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (int i = 0; i < 8; i++) {
                            p.setObject(i + 1, entryRow[i]);
                        }
                        p.executeUpdate();
                    }
                    for (Object[] row : postings) {
                        try (PreparedStatement p = c.prepareStatement("INSERT INTO ledger_postings (id, entry_id, account, amount) VALUES (?, ?, ?, ?)")) {
                            for (int i = 0; i < 4; i++) {
                                p.setObject(i + 1, row[i]);
                            }
                            p.executeUpdate();
                        }
                    }
                    s.executeUpdate("UPDATE ledger_head SET last_entry = " + head[0] + ", last_hash = '" + head[1] + "'");
                } finally {
                    s.execute("SET session_replication_role = DEFAULT");
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(integrity.problem()).isEmpty());
    }

    @Test
    void aWorkersKafkaLoginCannotWriteCheckpoints() throws Exception {
        farm.render.core.wire.KafkaLogin login = workerLogins.grant("ckpt-" + UUID.randomUUID().toString().substring(0, 8)).orElseThrow();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafkaClients.bootstrapServers());
        p.putAll(login.clientProperties());
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("max.block.ms", "10000");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            assertThatThrownBy(() -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(checkpoints.topic(), "ledger/shard-0", "{}"))
                    .get(20, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class);
        }
        assertThat(checkpoints.latest().orElseThrow().problem(Ed25519.decodePublic(keys.ledgerPublicKey()))).isNull();
    }
}
