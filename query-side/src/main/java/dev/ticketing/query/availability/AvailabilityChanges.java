package dev.ticketing.query.availability;

import dev.ticketing.platform.persistence.Databases;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Tells every query node which events' availability changed, whichever node runs the projection:
 * the projection's transaction sends a PostgreSQL {@code NOTIFY} (delivered on commit, never for a
 * rollback), and each node {@code LISTEN}s on a connection of its own, then drops its cached read
 * and pushes to its own watchers, as the projecting node does after its commit. Without this a
 * watcher on another node would see nothing until it reconnected. On the embedded database
 * (standalone: one node) there is nobody else to tell, and nothing is sent.
 */
@Component
public class AvailabilityChanges {

    private static final Logger log = LoggerFactory.getLogger(AvailabilityChanges.class);
    static final String CHANNEL = "availability_changed";

    /** This JVM; its own notifications come back to it and are passed over. */
    private final String node = UUID.randomUUID().toString();
    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final AvailabilityReads reads;
    private final AvailabilityStreams streams;
    private final Duration wait;
    private volatile boolean postgres;
    private volatile boolean running = true;
    private Thread listener;

    AvailabilityChanges(DataSource dataSource, AvailabilityReads reads, AvailabilityStreams streams,
                        @Value("${ticketing.availability.listen-wait:PT0.5S}") Duration wait) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.reads = reads;
        this.streams = streams;
        this.wait = wait;
    }

    @EventListener(ContextRefreshedEvent.class)
    void start() throws SQLException {
        postgres = Databases.isPostgreSql(dataSource);
        if (postgres && listener == null) {
            listener = new Thread(this::listen, "availability-changes");
            listener.setDaemon(true);
            listener.start();
        }
    }

    /**
     * In the projection's transaction: the other nodes hear of it once it commits. A batch tells
     * them of each event once, just before its commit (one NOTIFY per changed event, not per
     * projected event: a hot on-sale's batch is up to 100 events of one inventory).
     */
    void announce(UUID eventId, boolean push) {
        if (!postgres) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            notifyOthers(eventId, push);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<UUID, Boolean> batch = (Map<UUID, Boolean>) TransactionSynchronizationManager.getResource(this);
        if (batch == null) {
            Map<UUID, Boolean> changed = new LinkedHashMap<>();
            TransactionSynchronizationManager.bindResource(this, changed);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    changed.forEach(AvailabilityChanges.this::notifyOthers);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResource(AvailabilityChanges.this);
                }
            });
            batch = changed;
        }
        batch.merge(eventId, push, Boolean::logicalOr);
    }

    private void notifyOthers(UUID eventId, boolean push) {
        jdbc.queryForList("SELECT pg_notify(?, ?)", CHANNEL, eventId + " " + (push ? "push" : "read") + " " + node);
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement listen = connection.createStatement()) {
                listen.execute("LISTEN " + CHANNEL);
                // what changed while this node was not listening (or before it started) is read afresh
                reads.clear();
                streams.refreshAll();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications((int) wait.toMillis());
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            heard(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Lost the availability change feed ({}); listening again in a second", e.toString());
                    sleepASecond();
                }
            }
        }
    }

    private void heard(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length != 3 || parts[2].equals(node)) {
            return;
        }
        UUID eventId = UUID.fromString(parts[0]);
        reads.changedOnAnotherNode(eventId);
        if (parts[1].equals("push")) {
            streams.changedOnAnotherNode(eventId);
        }
    }

    private void sleepASecond() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void stop() {
        running = false;
    }
}
