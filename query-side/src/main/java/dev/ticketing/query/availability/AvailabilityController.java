package dev.ticketing.query.availability;

import dev.ticketing.api.rejection.EventNotFound;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.query.orders.OrderStatus;
import dev.ticketing.query.orders.OrderView;
import dev.ticketing.query.orders.OrderViewRepository;
import dev.ticketing.query.orders.ProjectionCatchUp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Duration;
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

    private static final Duration NEW_EVENT_WAIT = Duration.ofSeconds(3);

    private final EventAvailabilityRepository events;
    private final TierAvailabilityRepository tiers;
    private final OrderViewRepository orders;
    private final ObjectMapper json;
    private final AvailabilityStreams streams;
    private final AvailabilityReads reads;
    private final ProjectionCatchUp catchUp;

    public AvailabilityController(EventAvailabilityRepository events, TierAvailabilityRepository tiers,
                                  OrderViewRepository orders, ObjectMapper json, AvailabilityStreams streams,
                                  AvailabilityReads reads, ProjectionCatchUp catchUp) {
        this.events = events;
        this.tiers = tiers;
        this.orders = orders;
        this.json = json;
        this.streams = streams;
        this.reads = reads;
        this.catchUp = catchUp;
    }

    @GetMapping("/api/v1/events")
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ) // one snapshot of event and tiers
    public List<EventSummary> events() {
        List<EventAvailability> all = events.findAllByOrderByStartsAtAscEventIdAsc();
        Map<UUID, List<TierAvailability>> tiersByEvent = tiers.findByEventIdIn(
                all.stream().map(EventAvailability::getEventId).toList()).stream()
                .collect(Collectors.groupingBy(TierAvailability::getEventId));
        return all.stream().map(event -> {
            AvailabilityView view = AvailabilityView.of(event, tiersByEvent.getOrDefault(event.getEventId(), List.of()), null);
            return new EventSummary(event.getEventId(), event.getName(), event.getStartsAt(), event.getCurrency(),
                    event.getMaxAttendees(), event.isMembersOnly(), view.available());
        }).toList();
    }

    /** The counts from memory while they are current (see {@link AvailabilityReads}); the caller's own hold from the orders. */
    @GetMapping("/api/v1/events/{eventId}/availability")
    public AvailabilityView availability(@PathVariable UUID eventId, Authentication auth) {
        AvailabilityView counts = reads.current(eventId).orElseThrow(() -> new EventNotFound(eventId.toString()));
        return CurrentUser.ofOptional(auth)
                .flatMap(user -> orders.findFirstByEventIdAndUserIdAndStatusIn(eventId, user.userId(),
                        EnumSet.of(OrderStatus.RESERVED, OrderStatus.PAYMENT_PROCESSING)))
                .map(order -> counts.withMyReservation(myReservation(order)))
                .orElse(counts);
    }

    /**
     * The anonymous availability, at once and after every change, as Server-Sent Events. Returning
     * the emitter frees the request thread: open streams hold a connection, not a thread.
     */
    @GetMapping(path = "/api/v1/events/{eventId}/availability/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> availabilityStream(@PathVariable UUID eventId) {
        if (!events.existsById(eventId)) {
            // a page opened right after the event was created may be ahead of the projection: not "unknown" yet
            catchUp.await(AvailabilityProjection.PROCESSING_GROUP, NEW_EVENT_WAIT);
            if (!events.existsById(eventId)) {
                throw new EventNotFound(eventId.toString());
            }
        }
        // nginx (a likely ingress) would otherwise buffer the stream
        return ResponseEntity.ok().header("X-Accel-Buffering", "no").body(streams.watch(eventId));
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
