package dev.ticketing.command.config;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Function;

/**
 * The sequence number of an inventory's newest stored event, or {@code null} for none: how the
 * aggregate cache tells that another node has moved an inventory on.
 * <p>
 * It walks the store's (aggregate, sequence) index backwards and stops at the first entry, whatever
 * plan PostgreSQL keeps for the prepared statement; {@code max(sequenceNumber)} under a generic plan
 * on a table without fresh statistics read the aggregate's whole stream on every command.
 */
final class LatestStoredSequence implements Function<String, Long> {

    static final String SQL = "SELECT sequenceNumber FROM DomainEventEntry WHERE aggregateIdentifier = ?"
            + " ORDER BY sequenceNumber DESC LIMIT 1";

    private final JdbcTemplate jdbc;

    LatestStoredSequence(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);   // joins the unit of work's transaction
    }

    @Override
    public Long apply(String aggregateId) {
        List<Long> latest = jdbc.queryForList(SQL, Long.class, aggregateId);
        return latest.isEmpty() ? null : latest.get(0);
    }
}
