package dev.ticketing.command.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.payment.PaymentIntentCreated;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The command side's own index of orders: which event's inventory holds an order, whose it is,
 * its Stripe payment intent, and the Idempotency-Key it was made with, with the reservation it
 * answered so a retry can be answered the same. Written by a subscribing handler, in the very transaction that stores the
 * TicketsReserved: the unique (user, key) constraint then makes a key reserve at most once. A
 * transaction's new orders go in as one batch just before it commits (a batch of reservations is
 * one round trip, not one per order).
 */
@Component
@ProcessingGroup(OrderDirectory.PROCESSING_GROUP)
public class OrderDirectory {

    public static final String PROCESSING_GROUP = "order-directory";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";
    static final String REQUEST_HASH = "requestHash";
    private static final String INSERT = "INSERT INTO order_directory (order_id, event_id, user_id, idempotency_key, "
            + "request_hash, reservation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    public record Entry(OrderId orderId, EventId eventId, String userId, String requestHash, String reservation,
                        String paymentIntentId) {
    }

    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(
            new OrderId(rs.getObject("order_id", UUID.class)), new EventId(rs.getObject("event_id", UUID.class)),
            rs.getString("user_id"), rs.getString("request_hash"), rs.getString("reservation"),
            rs.getString("payment_intent_id"));

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OrderDirectory(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(TicketsReserved reserved, @MetaDataValue(IDEMPOTENCY_KEY) String idempotencyKey,
            @MetaDataValue(REQUEST_HASH) String requestHash, @Timestamp Instant at)
            throws JsonProcessingException {
        Object[] row = {reserved.orderId().value(), reserved.eventId().value(), reserved.userId(), idempotencyKey,
                requestHash, json.writeValueAsString(reserved), java.sql.Timestamp.from(at)};
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            jdbc.update(INSERT, row);
            return;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = (List<Object[]>) TransactionSynchronizationManager.getResource(this);
        if (rows == null) {
            List<Object[]> batch = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, batch);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    jdbc.batchUpdate(INSERT, batch);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResource(OrderDirectory.this);
                }
            });
            rows = batch;
        }
        rows.add(row);
    }

    @EventHandler
    void on(PaymentIntentCreated created) {
        jdbc.update("UPDATE order_directory SET payment_intent_id = ? WHERE order_id = ?", created.paymentIntentId(),
                created.orderId().value());
    }

    public Optional<Entry> find(OrderId orderId) {
        return jdbc.query("SELECT * FROM order_directory WHERE order_id = ?", ENTRY, orderId.value())
                .stream().findFirst();
    }

    /** The hold the order was made with, as the inventory granted it. */
    public TicketsReserved reservation(Entry entry) {
        try {
            return json.readValue(entry.reservation(), TicketsReserved.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Order " + entry.orderId() + ": unreadable reservation", e);
        }
    }

    public Optional<Entry> findByIdempotencyKey(String userId, String idempotencyKey) {
        return jdbc.query("SELECT * FROM order_directory WHERE user_id = ? AND idempotency_key = ?", ENTRY,
                userId, idempotencyKey).stream().findFirst();
    }
}
