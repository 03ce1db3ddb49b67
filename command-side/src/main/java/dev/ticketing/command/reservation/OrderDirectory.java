package dev.ticketing.command.reservation;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The command side's own index of orders: which event's inventory holds an order, whose it is,
 * and the Idempotency-Key it was created with (with the reservation it answered, to replay it).
 */
@Repository
public class OrderDirectory {

    public record Entry(OrderId orderId, EventId eventId, String userId, String requestHash, String reservation) {
    }

    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(
            new OrderId(rs.getObject("order_id", UUID.class)), new EventId(rs.getObject("event_id", UUID.class)),
            rs.getString("user_id"), rs.getString("request_hash"), rs.getString("reservation"));

    private final JdbcTemplate jdbc;

    public OrderDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Throws DuplicateKeyException when this user already used the key. */
    public void add(OrderId orderId, EventId eventId, String userId, String idempotencyKey, String requestHash,
                    Instant at) {
        jdbc.update("INSERT INTO order_directory (order_id, event_id, user_id, idempotency_key, request_hash, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                orderId.value(), eventId.value(), userId, idempotencyKey, requestHash, Timestamp.from(at));
    }

    public void recordReservation(OrderId orderId, String reservationJson) {
        jdbc.update("UPDATE order_directory SET reservation = ? WHERE order_id = ?", reservationJson, orderId.value());
    }

    public Optional<Entry> find(OrderId orderId) {
        return jdbc.query("SELECT * FROM order_directory WHERE order_id = ?", ENTRY, orderId.value())
                .stream().findFirst();
    }

    public Optional<Entry> findByIdempotencyKey(String userId, String idempotencyKey) {
        return jdbc.query("SELECT * FROM order_directory WHERE user_id = ? AND idempotency_key = ?", ENTRY,
                userId, idempotencyKey).stream().findFirst();
    }
}
