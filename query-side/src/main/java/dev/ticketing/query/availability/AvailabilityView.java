package dev.ticketing.query.availability;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a buyer can still reserve now. A tier's {@code available} is its own free seats, bounded
 * by what is left of the event's {@code maxAttendees}; {@code reserved} is held by live
 * reservations (others', and the caller's own, shown again in {@code myReservation}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AvailabilityView(UUID eventId, String name, Instant startsAt, String currency, Integer maxAttendees,
                               boolean membersOnly, int available, int reserved, int sold, List<Tier> tiers,
                               MyReservation myReservation) {

    public record Tier(UUID tierId, String name, long priceCents, int capacity, int available, int reserved,
                       int sold) {
    }

    public record MyReservation(UUID orderId, String status, Instant expiresAt, List<?> lines) {
    }

    /** The same counts, for a caller who holds a reservation of this event. */
    AvailabilityView withMyReservation(MyReservation mine) {
        return new AvailabilityView(eventId, name, startsAt, currency, maxAttendees, membersOnly, available, reserved,
                sold, tiers, mine);
    }

    static AvailabilityView of(EventAvailability event, List<TierAvailability> tiers, MyReservation mine) {
        Integer remaining = event.remaining();
        List<Tier> views = new ArrayList<>();
        long free = 0;
        for (TierAvailability tier : tiers) {
            int available = remaining == null ? tier.free() : Math.min(tier.free(), remaining);
            views.add(new Tier(tier.getTierId(), tier.getName(), tier.getPriceCents(), tier.getCapacity(), available,
                    tier.getReserved(), tier.getSold()));
            free += tier.free();
        }
        int available = (int) (remaining == null ? free : Math.min(free, remaining));
        return new AvailabilityView(event.getEventId(), event.getName(), event.getStartsAt(), event.getCurrency(),
                event.getMaxAttendees(), event.isMembersOnly(), available, event.getReserved(), event.getSold(),
                views, mine);
    }
}
