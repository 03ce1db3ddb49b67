package dev.ticketing.command.config;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.function.Function;

/**
 * The sequence number of an inventory's newest stored event, or {@code null} for none: how the
 * aggregate cache tells that another node has moved an inventory on.
 * <p>
 * Asked as what it is, the first entry of the store's (aggregate, sequence) index walked backwards,
 * rather than left to the planner's rewrite of {@code max(sequenceNumber)}: it runs before every
 * command on a hot event's ever-growing stream.
 */
final class LatestStoredSequence implements Function<String, Long> {

    static final String SQL = "SELECT sequenceNumber FROM DomainEventEntry WHERE aggregateIdentifier = ?"
            + " ORDER BY sequenceNumber DESC LIMIT 1";

    private final JdbcTemplate jdbc;

    LatestStoredSequence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Long apply(String aggregateId) {
        List<Long> latest = jdbc.queryForList(SQL, Long.class, aggregateId);
        return latest.isEmpty() ? null : latest.get(0);
    }
}
