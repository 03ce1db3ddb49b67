package dev.ticketing.platform.persistence;

import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** On the real PostgreSQL: the pool the application gets sends a batch of inserts as one multi-row insert. */
class PostgreSqlBatchedInsertsTest {

    @Test
    void a_batch_of_inserts_goes_as_one_multi_row_insert_on_postgresql() throws SQLException {
        // the driver answers a rewritten batch with "no count" per row (it packs powers of two: 4 rows, one
        // statement), and row by row with 1 each
        assertThat(batchOfFourInserts(pool(true))).containsOnly(Statement.SUCCESS_NO_INFO);
        assertThat(batchOfFourInserts(pool(false))).containsOnly(1);
    }

    @Test
    void a_setting_given_by_the_operator_is_kept() {
        HikariDataSource pool = bare();
        pool.addDataSourceProperty(PostgreSqlBatchedInserts.REWRITE_BATCHED_INSERTS, "false");
        new PostgreSqlBatchedInserts().postProcessAfterInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties()).containsEntry(PostgreSqlBatchedInserts.REWRITE_BATCHED_INSERTS, "false");
        pool.close();
    }

    @Test
    void another_database_is_left_as_it_is() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:test");
        new PostgreSqlBatchedInserts().postProcessAfterInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties()).doesNotContainKey(PostgreSqlBatchedInserts.REWRITE_BATCHED_INSERTS);
        pool.close();
    }

    private static HikariDataSource pool(boolean postProcessed) {
        HikariDataSource pool = bare();
        if (postProcessed) {
            new PostgreSqlBatchedInserts().postProcessAfterInitialization(pool, "dataSource");
        }
        return pool;
    }

    private static HikariDataSource bare() {
        TestDatabase.Schema schema = TestDatabase.freshSchema();
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(schema.url());
        pool.setUsername(schema.user());
        pool.setPassword(schema.password());
        pool.setMaximumPoolSize(1);
        return pool;
    }

    private static int[] batchOfFourInserts(HikariDataSource pool) throws SQLException {
        try (pool; Connection connection = pool.getConnection()) {
            connection.createStatement().execute("CREATE TABLE batched (n INT NOT NULL)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batched (n) VALUES (?)")) {
                for (int n = 1; n <= 4; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                try (var rows = connection.createStatement().executeQuery("SELECT count(*) FROM batched")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(4);
                }
                return counts;
            }
        }
    }
}
