package farm.render.coordinator.storage;

import farm.render.coordinator.testing.FarmServices;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The login the coordinator serves with, after its migrations ran as the schema owner: no
 * superuser, and the ledger, payments and slashes only grow.
 */
@QuarkusTest
@WithTestResource(FarmServices.class)
class DatabaseGrantsTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void theServingLoginIsNeitherSuperuserNorOwnerOfTheTables() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     SELECT rolsuper, rolcreaterole, rolcreatedb,
                            EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)
                     FROM pg_roles WHERE rolname = current_user""")) {
            assertThat(r.next()).isTrue();
            assertThat(List.of(r.getBoolean(1), r.getBoolean(2), r.getBoolean(3), r.getBoolean(4))).containsOnly(false);
        }
    }

    @Test
    void theLedgerPaymentsAndSlashesCannotBeChangedOrDeleted() throws SQLException {
        Map<String, String> someColumn = Map.of("ledger_postings", "amount", "ledger_entries", "memo",
                "tile_payments", "amount", "tile_slashes", "amount");
        for (String table : someColumn.keySet()) {
            String column = someColumn.get(table);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM " + table).close();
                // the privilege check comes before any row is read, so an empty WHERE still proves it
                assertThatThrownBy(() -> s.executeUpdate("UPDATE " + table + " SET " + column + " = " + column + " WHERE false"))
                        .as(table).hasMessageContaining("permission denied for table " + table);
                assertThatThrownBy(() -> s.executeUpdate("DELETE FROM " + table + " WHERE false"))
                        .as(table).hasMessageContaining("permission denied for table " + table);
                assertThatThrownBy(() -> s.executeUpdate("TRUNCATE " + table))
                        .as(table).hasMessageContaining("permission denied for table " + table);
            }
        }
        try (Connection c = FarmServices.superuserConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM ledger_postings WHERE false")) {
            assertThat(r.next()).as("the superuser, unlike the coordinator, reaches everything").isTrue();
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM flyway_schema_history"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("CREATE TABLE planted (v int)")).hasMessageContaining("permission denied");
        }
    }
}
