package dev.ticketing.query.availability;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An event's counts: seats held by live reservations and seats sold, across all tiers. */
@Entity
@Table(name = "event_availability")
public class EventAvailability {

    @Id
    @Column(name = "event_id")
    private UUID eventId;
    private String name;
    @Column(name = "starts_at")
    private Instant startsAt;
    private String currency;
    @Column(name = "max_attendees")
    private Integer maxAttendees;
    @Column(name = "members_only")
    private boolean membersOnly;
    @Embedded
    private SeatCounts seats = new SeatCounts();

    protected EventAvailability() {
    }

    public EventAvailability(UUID eventId, String name, Instant startsAt, String currency, Integer maxAttendees,
                             boolean membersOnly) {
        this.eventId = eventId;
        this.name = name;
        this.startsAt = startsAt;
        this.currency = currency;
        this.maxAttendees = maxAttendees;
        this.membersOnly = membersOnly;
    }

    SeatCounts seats() {
        return seats;
    }

    /** Places left under maxAttendees; null when the event has no event-wide limit. */
    Integer remaining() {
        return maxAttendees == null ? null : Math.max(0, maxAttendees - seats.committed());
    }

    public UUID getEventId() {
        return eventId;
    }

    public String getName() {
        return name;
    }

    public Instant getStartsAt() {
        return startsAt;
    }

    public String getCurrency() {
        return currency;
    }

    public Integer getMaxAttendees() {
        return maxAttendees;
    }

    public boolean isMembersOnly() {
        return membersOnly;
    }

    public int getReserved() {
        return seats.getReserved();
    }

    public int getSold() {
        return seats.getSold();
    }
}
