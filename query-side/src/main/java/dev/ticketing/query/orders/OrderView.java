package dev.ticketing.query.orders;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

import java.time.Instant;
import java.util.UUID;

/**
 * One order as its buyer sees it; lines and tickets are kept as JSON text. {@link Persistable}: an
 * order made by its TicketsReserved is inserted as new, without a select first to tell.
 */
@Entity
@Table(name = "order_view")
public class OrderView implements Persistable<UUID> {

    @Id
    @Column(name = "order_id")
    private UUID orderId;
    @Column(name = "event_id")
    private UUID eventId;
    @Column(name = "user_id")
    private String userId;
    @Enumerated(EnumType.STRING)
    private OrderStatus status;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "expires_at")
    private Instant expiresAt;
    @Column(name = "total_cents")
    private long totalCents;
    private String currency;
    private String lines;
    private String tickets;
    @Column(name = "payment_intent_id")
    private String paymentIntentId;
    @Column(name = "payment_status")
    private String paymentStatus;
    @Column(name = "payment_last_error")
    private String paymentLastError;
    @Transient
    private boolean isNew;

    protected OrderView() {
    }

    public OrderView(UUID orderId, UUID eventId, String userId, Instant createdAt, Instant expiresAt, long totalCents,
                     String currency, String lines) {
        this.orderId = orderId;
        this.eventId = eventId;
        this.userId = userId;
        this.status = OrderStatus.RESERVED;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.totalCents = totalCents;
        this.currency = currency;
        this.lines = lines;
        this.isNew = true;
    }

    @Override
    public UUID getId() {
        return orderId;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void stored() {
        isNew = false;
    }

    void moveTo(OrderStatus status) {
        this.status = status;
    }

    /** Confirmed with its tickets; a free order had no payment to show. */
    void confirm(String tickets, boolean paid) {
        this.status = OrderStatus.CONFIRMED;
        this.tickets = tickets;
        if (paid) {
            payment("succeeded", null);
        }
    }

    void refund(String voidTickets) {
        this.status = OrderStatus.REFUNDED;
        this.tickets = voidTickets;
        payment("refunded", null);
    }

    void paymentIntent(String paymentIntentId) {
        this.paymentIntentId = paymentIntentId;
        if (paymentStatus == null) {
            paymentStatus = "requires_payment_method";
        }
    }

    void payment(String status, String lastError) {
        this.paymentStatus = status;
        this.paymentLastError = lastError;
    }

    public UUID getOrderId() {
        return orderId;
    }

    public UUID getEventId() {
        return eventId;
    }

    public String getUserId() {
        return userId;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public long getTotalCents() {
        return totalCents;
    }

    public String getCurrency() {
        return currency;
    }

    public String getLines() {
        return lines;
    }

    public String getTickets() {
        return tickets;
    }

    public String getPaymentIntentId() {
        return paymentIntentId;
    }

    public String getPaymentStatus() {
        return paymentStatus;
    }

    public String getPaymentLastError() {
        return paymentLastError;
    }
}
