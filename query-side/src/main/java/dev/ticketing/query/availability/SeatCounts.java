package dev.ticketing.query.availability;

import jakarta.persistence.Embeddable;

/** Seats held by live reservations and seats sold: the counts an event and each tier keep. */
@Embeddable
public class SeatCounts {

    private int reserved;
    private int sold;

    void hold(int quantity) {
        reserved += quantity;
    }

    void release(int quantity) {
        reserved -= quantity;
    }

    void sell(int quantity) {
        reserved -= quantity;
        sold += quantity;
    }

    /** Seats sold without a hold: a payment honoured after its hold had ended. */
    void sellFree(int quantity) {
        sold += quantity;
    }

    /** Sold seats back on sale: the order was refunded. */
    void unsell(int quantity) {
        sold -= quantity;
    }

    int committed() {
        return reserved + sold;
    }

    public int getReserved() {
        return reserved;
    }

    public int getSold() {
        return sold;
    }
}
