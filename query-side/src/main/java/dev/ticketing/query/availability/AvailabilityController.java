package dev.ticketing.query.availability;

import dev.ticketing.api.rejection.EventNotFound;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.query.orders.OrderStatus;
import dev.ticketing.query.orders.OrderView;
import dev.ticketing.query.orders.OrderViewRepository;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Public reads of what is on sale and how much is left. */
@RestController
public class AvailabilityController {

    public record EventSummary(UUID eventId, String name, Instant startsAt, String currency, Integer maxAttendees,
                               boolean membersOnly, int available) {
    }

    private final EventAvailabilityRepository events;
    private final TierAvailabilityRepository tiers;
    private final OrderViewRepository orders;
    private final ObjectMapper json;

    public AvailabilityController(EventAvailabilityRepository events, TierAvailabilityRepository tiers,
                                  OrderViewRepository orders, ObjectMapper json) {
        this.events = events;
        this.tiers = tiers;
        this.orders = orders;
        this.json = json;
    }

    @GetMapping("/api/v1/events")
    @Transactional(readOnly = true)
    public List<EventSummary> events() {
        List<EventAvailability> all = events.findAllByOrderByStartsAtAsc();
        Map<UUID, List<TierAvailability>> tiersByEvent = tiers.findByEventIdIn(
                all.stream().map(EventAvailability::getEventId).toList()).stream()
                .collect(Collectors.groupingBy(TierAvailability::getEventId));
        return all.stream().map(event -> {
            AvailabilityView view = AvailabilityView.of(event, tiersByEvent.getOrDefault(event.getEventId(), List.of()), null);
            return new EventSummary(event.getEventId(), event.getName(), event.getStartsAt(), event.getCurrency(),
                    event.getMaxAttendees(), event.isMembersOnly(), view.available());
        }).toList();
    }

    @GetMapping("/api/v1/events/{eventId}/availability")
    @Transactional(readOnly = true)
    public AvailabilityView availability(@PathVariable UUID eventId, Authentication auth) {
        EventAvailability event = events.findById(eventId).orElseThrow(() -> new EventNotFound(eventId.toString()));
        AvailabilityView.MyReservation mine = CurrentUser.ofOptional(auth)
                .flatMap(user -> orders.findFirstByEventIdAndUserIdAndStatusIn(eventId, user.userId(),
                        EnumSet.of(OrderStatus.RESERVED, OrderStatus.PAYMENT_PROCESSING)))
                .map(this::myReservation)
                .orElse(null);
        return AvailabilityView.of(event, tiers.findByEventIdOrderByPosition(eventId), mine);
    }

    private AvailabilityView.MyReservation myReservation(OrderView order) {
        try {
            return new AvailabilityView.MyReservation(order.getOrderId(), order.getStatus().name(),
                    order.getExpiresAt(), json.readValue(order.getLines(), List.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
