package dev.ticketing.query.orders;

/** The reservation lifecycle as buyers see it (API.md, "Reservation lifecycle"). */
public enum OrderStatus {
    RESERVED, PAYMENT_PROCESSING, CONFIRMED, EXPIRED, CANCELLED, REFUNDED;

    public boolean holdsSeats() {
        return this == RESERVED || this == PAYMENT_PROCESSING;
    }
}
