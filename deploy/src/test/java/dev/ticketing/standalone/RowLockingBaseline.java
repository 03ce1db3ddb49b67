package dev.ticketing.standalone;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ticketing.platform.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the service is compared with: the classic row-locking design, done well, in plain JDBC on
 * the same PostgreSQL. One transaction per reservation locks the event row, then the tier row
 * (always in that order, so two reservations never deadlock), checks the tier's capacity and the
 * event's limit, counts the seats held on both and records the pending order.
 */
final class RowLockingBaseline implements AutoCloseable {

    /** What the three places that count held seats say, after a run. */
    record Counts(long eventHeld, long tiersHeld, long pendingOrderTickets, long pendingOrders, long oversold) {
    }

    private static final String LOCK_EVENT = "SELECT max_attendees, held FROM event WHERE id = ? FOR UPDATE";
    private static final String LOCK_TIER = "SELECT capacity, held FROM tier WHERE id = ? AND event_id = ? FOR UPDATE";
    private static final String HOLD_ON_TIER = "UPDATE tier SET held = held + ? WHERE id = ?";
    private static final String HOLD_ON_EVENT = "UPDATE event SET held = held + ? WHERE id = ?";
    private static final String RECORD_ORDER = "INSERT INTO pending_order (id, event_id, tier_id, buyer, quantity, "
            + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, now(), now() + interval '15 minutes')";

    private final HikariDataSource pool;

    RowLockingBaseline(TestDatabase.Schema schema, int connections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema.url());
        config.setUsername(schema.user());
        config.setPassword(schema.password());
        config.setMaximumPoolSize(connections);
        config.setMinimumIdle(connections);
        config.setAutoCommit(false);
        config.setPoolName("row-locking-baseline");
        pool = new HikariDataSource(config);
    }

    /** The tables, and one event with its tiers; returns the tiers' ids. */
    List<UUID> createEvent(UUID eventId, int tiers, int tierCapacity, int maxAttendees) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE event (id uuid PRIMARY KEY, max_attendees int NOT NULL, held int NOT NULL)");
            ddl.execute("CREATE TABLE tier (id uuid PRIMARY KEY, event_id uuid NOT NULL REFERENCES event, "
                    + "capacity int NOT NULL, held int NOT NULL)");
            // the unique key is the service's "one unpaid order per buyer per event", kept by the index alone
            ddl.execute("CREATE TABLE pending_order (id uuid PRIMARY KEY, event_id uuid NOT NULL REFERENCES event, "
                    + "tier_id uuid NOT NULL REFERENCES tier, buyer text NOT NULL, quantity int NOT NULL, "
                    + "created_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, UNIQUE (event_id, buyer))");
            try (PreparedStatement event = connection.prepareStatement("INSERT INTO event VALUES (?, ?, 0)");
                 PreparedStatement tier = connection.prepareStatement("INSERT INTO tier VALUES (?, ?, ?, 0)")) {
                event.setObject(1, eventId);
                event.setInt(2, maxAttendees);
                event.executeUpdate();
                List<UUID> tierIds = new ArrayList<>();
                for (int i = 0; i < tiers; i++) {
                    UUID tierId = UUID.randomUUID();
                    tier.setObject(1, tierId);
                    tier.setObject(2, eventId);
                    tier.setInt(3, tierCapacity);
                    tier.executeUpdate();
                    tierIds.add(tierId);
                }
                connection.commit();
                return tierIds;
            }
        }
    }

    /** One reservation in one transaction; {@code false} when the tier or the event has too few seats left. */
    boolean reserve(UUID eventId, UUID tierId, String buyer, int quantity) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try {
                boolean held = reserve(connection, eventId, tierId, buyer, quantity);
                if (held) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
                return held;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static boolean reserve(Connection connection, UUID eventId, UUID tierId, String buyer, int quantity)
            throws SQLException {
        int eventFree;
        int tierFree;
        try (PreparedStatement event = connection.prepareStatement(LOCK_EVENT)) {
            event.setObject(1, eventId);
            try (ResultSet row = event.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("No event " + eventId);
                }
                eventFree = row.getInt("max_attendees") - row.getInt("held");
            }
        }
        try (PreparedStatement tier = connection.prepareStatement(LOCK_TIER)) {
            tier.setObject(1, tierId);
            tier.setObject(2, eventId);
            try (ResultSet row = tier.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("No tier " + tierId + " in event " + eventId);
                }
                tierFree = row.getInt("capacity") - row.getInt("held");
            }
        }
        if (quantity > tierFree || quantity > eventFree) {
            return false;
        }
        try (PreparedStatement tier = connection.prepareStatement(HOLD_ON_TIER);
             PreparedStatement event = connection.prepareStatement(HOLD_ON_EVENT);
             PreparedStatement order = connection.prepareStatement(RECORD_ORDER)) {
            tier.setInt(1, quantity);
            tier.setObject(2, tierId);
            tier.executeUpdate();
            event.setInt(1, quantity);
            event.setObject(2, eventId);
            event.executeUpdate();
            order.setObject(1, UUID.randomUUID());
            order.setObject(2, eventId);
            order.setObject(3, tierId);
            order.setString(4, buyer);
            order.setInt(5, quantity);
            order.executeUpdate();
        }
        return true;
    }

    Counts counts(UUID eventId) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT e.held, e.max_attendees, "
                     + "(SELECT sum(held) FROM tier WHERE event_id = e.id), "
                     + "(SELECT sum(greatest(held - capacity, 0)) FROM tier WHERE event_id = e.id), "
                     + "(SELECT coalesce(sum(quantity), 0) FROM pending_order WHERE event_id = e.id), "
                     + "(SELECT count(*) FROM pending_order WHERE event_id = e.id) FROM event e WHERE e.id = ?")) {
            query.setObject(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long eventHeld = row.getLong(1);
                long oversold = Math.max(0, eventHeld - row.getLong(2)) + row.getLong(4);
                Counts counts = new Counts(eventHeld, row.getLong(3), row.getLong(5), row.getLong(6), oversold);
                connection.commit();
                return counts;
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
