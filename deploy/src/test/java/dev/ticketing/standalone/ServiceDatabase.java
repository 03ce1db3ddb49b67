package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.testing.TestDatabase;
import org.axonframework.eventhandling.GapAwareTrackingToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the benchmark reads straight from the service's own schema (V1__axon_event_store.sql):
 * the stored events, as the source of truth the other counts are checked against, and the
 * tracking processors' tokens, to know how far each has got. Payloads are JSON in bytea.
 */
final class ServiceDatabase implements AutoCloseable {

    static final String TICKETS_RESERVED = "dev.ticketing.api.inventory.TicketsReserved";
    static final String PAYMENT_INTENT_CREATED = "dev.ticketing.api.payment.PaymentIntentCreated";
    static final String PAYMENT_SAGA = "PaymentSagaProcessor";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;

    ServiceDatabase(TestDatabase.Schema schema) throws SQLException {
        connection = DriverManager.getConnection(schema.url(), schema.user(), schema.password());
    }

    /** The global index of the last stored event (0 when there is none). */
    long head() throws SQLException {
        return single("SELECT coalesce(max(globalIndex), 0) FROM DomainEventEntry");
    }

    /**
     * The payment intents recorded for the event's orders: on the event's own stream, one for each
     * order whose buyer started to pay (a hold alone gets none).
     */
    long paymentIntents(String eventId) throws SQLException {
        return count(eventId, PAYMENT_INTENT_CREATED);
    }

    long count(String aggregateId, String payloadType) throws SQLException {
        return single("SELECT count(*) FROM DomainEventEntry WHERE aggregateIdentifier = ? AND payloadType = ?",
                aggregateId, payloadType);
    }

    /** Orders of the event whose hold is live: reserved, and neither expired, cancelled nor confirmed. */
    long liveHolds(String aggregateId) throws SQLException {
        return single("SELECT count(*) FILTER (WHERE payloadType = ?) - count(*) FILTER (WHERE payloadType IN "
                        + "('dev.ticketing.api.inventory.ReservationExpired', 'dev.ticketing.api.inventory.ReservationCancelled', "
                        + "'dev.ticketing.api.inventory.OrderConfirmed')) FROM DomainEventEntry WHERE aggregateIdentifier = ?",
                TICKETS_RESERVED, aggregateId);
    }

    /** The tickets of every stored TicketsReserved of the event: the quantities of their lines. */
    long reservedTickets(String aggregateId) throws SQLException {
        return single("SELECT coalesce(sum((line ->> 'quantity')::int), 0) FROM DomainEventEntry e, "
                        + "jsonb_array_elements(convert_from(e.payload, 'UTF8')::jsonb -> 'lines') line "
                        + "WHERE e.aggregateIdentifier = ? AND e.payloadType = ?",
                aggregateId, TICKETS_RESERVED);
    }

    /**
     * How far each tracking processor has got (the global index its slowest segment has handled),
     * by name; -1 while it is replaying (its token is then not a plain gap-aware one).
     */
    Map<String, Long> processorPositions() throws SQLException {
        Map<String, Long> positions = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT processorName, tokenType, convert_from(token, 'UTF8') FROM TokenEntry");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long position = GapAwareTrackingToken.class.getName().equals(rows.getString(2))
                        ? json(rows.getString(3)).path("index").asLong(-1) : -1;
                positions.merge(rows.getString(1), position, Math::min);
            }
        }
        return positions;
    }

    Connection connection() {
        return connection;
    }

    private long single(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
