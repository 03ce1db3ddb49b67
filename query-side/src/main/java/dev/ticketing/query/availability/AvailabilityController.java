package dev.ticketing.query.availability;

import dev.ticketing.api.rejection.EventNotFound;
import dev.ticketing.platform.openapi.ApiTags;
import dev.ticketing.platform.openapi.OpenApiConfig;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.query.orders.OrderStatus;
import dev.ticketing.query.orders.OrderView;
import dev.ticketing.query.orders.OrderViewRepository;
import dev.ticketing.query.orders.ProjectionCatchUp;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = ApiTags.AVAILABILITY)
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

    @Operation(operationId = "listEvents", summary = "Events on sale",
            description = "Every event, soonest first, with what a new buyer can still reserve (`available`).")
    @ApiResponse(responseCode = "200", description = "The events")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the availability read model is "
            + "being rebuilt (a replay); try again after Retry-After")
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
    @Operation(operationId = "getAvailability", summary = "An event's availability",
            description = "The event's and each tier's counts: `available` is what a new buyer can reserve now (a "
                    + "tier's is also bounded by the event's remaining maxAttendees), `reserved` is held, `sold` is "
                    + "paid. With a bearer token the body adds `myReservation` when the caller holds one.",
            security = @SecurityRequirement(name = OpenApiConfig.BEARER))
    @ApiResponse(responseCode = "200", description = "The counts")
    @ApiResponse(responseCode = "404", description = "EVENT_NOT_FOUND")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the availability (or, for a signed-in "
            + "caller, the orders) read model is being rebuilt (a replay); try again after Retry-After")
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
    @Operation(operationId = "streamAvailability", summary = "An event's availability, live",
            description = "Server-Sent Events: an `availability` event carrying the availability's JSON (without "
                    + "`myReservation`) at once and after every change.")
    @ApiResponse(responseCode = "200", description = "The stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string",
            description = "`event: availability` and `data:` the JSON of getAvailability, per change")))
    @ApiResponse(responseCode = "404", description = "EVENT_NOT_FOUND")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the availability read model is "
            + "being rebuilt (a replay); try again after Retry-After")
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
