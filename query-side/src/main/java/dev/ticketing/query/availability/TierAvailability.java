package dev.ticketing.query.availability;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** A tier's capacity, seats held by live reservations, and seats sold. */
@Entity
@Table(name = "tier_availability")
public class TierAvailability {

    @Id
    @Column(name = "tier_id")
    private UUID tierId;
    @Column(name = "event_id")
    private UUID eventId;
    private int position;
    private String name;
    @Column(name = "price_cents")
    private long priceCents;
    private int capacity;
    @Embedded
    private SeatCounts seats = new SeatCounts();

    protected TierAvailability() {
    }

    public TierAvailability(UUID tierId, UUID eventId, int position, String name, long priceCents, int capacity) {
        this.tierId = tierId;
        this.eventId = eventId;
        this.position = position;
        this.name = name;
        this.priceCents = priceCents;
        this.capacity = capacity;
    }

    SeatCounts seats() {
        return seats;
    }

    void changeCapacity(int capacity) {
        this.capacity = capacity;
    }

    int free() {
        return Math.max(0, capacity - seats.committed());
    }

    public UUID getTierId() {
        return tierId;
    }

    public UUID getEventId() {
        return eventId;
    }

    public String getName() {
        return name;
    }

    public long getPriceCents() {
        return priceCents;
    }

    public int getCapacity() {
        return capacity;
    }

    public int getReserved() {
        return seats.getReserved();
    }

    public int getSold() {
        return seats.getSold();
    }
}
