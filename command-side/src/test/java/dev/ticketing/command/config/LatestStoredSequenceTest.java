package dev.ticketing.command.config;

import dev.ticketing.platform.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** On the real PostgreSQL, with the store's own table and the plan PostgreSQL keeps for a prepared statement. */
class LatestStoredSequenceTest {

    private static final int STREAM = 20_000;

    private SingleConnectionDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void aLongStreamWithoutStatistics() throws Exception {
        TestDatabase.Schema schema = TestDatabase.freshSchema();
        dataSource = new SingleConnectionDataSource(schema.url(), schema.user(), schema.password(), true);
        dataSource.setAutoCommit(false);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(new String(getClass().getResourceAsStream("/db/migration/V1__axon_event_store.sql").readAllBytes()));
        jdbc.update("INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, eventIdentifier, payload, payloadType, timeStamp)"
                + " SELECT 'hot-event', n, 'e-' || n, '\\x00', 'TicketsReserved', '2026-12-07T00:00:00Z'"
                + " FROM generate_series(0, ?) n", STREAM - 1);
        jdbc.execute("SET plan_cache_mode = force_generic_plan");   // what PostgreSQL settles on after five executions
    }

    @AfterEach
    void close() {
        dataSource.destroy();
    }

    @Test
    void finds_the_newest_event_of_a_stream_and_none_of_an_unknown_one() {
        LatestStoredSequence latest = new LatestStoredSequence(jdbc);

        assertThat(latest.apply("hot-event")).isEqualTo(STREAM - 1);
        assertThat(latest.apply("another-event")).isNull();
    }

    @Test
    void reads_one_index_entry_not_the_whole_stream() {
        LatestStoredSequence latest = new LatestStoredSequence(jdbc);
        long before = rowsFetchedThroughIndexes();

        for (int i = 0; i < 10; i++) {
            latest.apply("hot-event");
        }

        assertThat(rowsFetchedThroughIndexes() - before).as("rows read for 10 look-ups of a %,d-event stream", STREAM)
                .isLessThan(100);
    }

    /** This transaction's own counts: no wait for the statistics collector. */
    private long rowsFetchedThroughIndexes() {
        Long fetched = jdbc.queryForObject("SELECT coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
                + " WHERE relname = 'domainevententry' AND schemaname = current_schema()", Long.class);
        return fetched == null ? 0 : fetched;
    }
}
