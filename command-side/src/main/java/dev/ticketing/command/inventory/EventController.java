package dev.ticketing.command.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.AddTier;
import dev.ticketing.api.inventory.ChangeTierCapacity;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.platform.openapi.ApiTags;
import dev.ticketing.platform.security.CurrentUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Organisers put events on sale and manage their tiers (the role is checked in SecurityConfig). */
@RestController
@Tag(name = ApiTags.EVENTS)
@RequestMapping("/api/v1/events")
public class EventController {

    private static final Logger log = LoggerFactory.getLogger(EventController.class);

    public record TierRequest(@NotBlank @Size(max = 200) String name,
                              @NotNull @Min(0) @Max(100_000_000) Long priceCents,
                              @NotNull @Min(0) @Max(1_000_000) Integer capacity) {
        TierSpec toSpec() {
            return new TierSpec(TierId.random(), name.trim(), priceCents, capacity);
        }
    }

    public record CreateEventRequest(@NotBlank @Size(max = 200) String name,
                                     @NotNull Instant startsAt,
                                     @NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be a 3-letter ISO 4217 code") String currency,
                                     @Min(1) @Max(10_000_000) Integer maxAttendees,
                                     Boolean membersOnly,
                                     @Min(1) @Max(100) Integer maxTicketsPerOrder,
                                     @NotNull @Size(min = 1, max = 50) List<@Valid @NotNull TierRequest> tiers) {
    }

    public record CapacityRequest(@NotNull @Min(0) @Max(1_000_000) Integer capacity) {
    }

    public record TierCapacity(UUID tierId, int capacity) {
    }

    public record TierView(UUID tierId, String name, long priceCents, int capacity) {
        static TierView of(TierSpec spec) {
            return new TierView(spec.tierId().value(), spec.name(), spec.priceCents(), spec.capacity());
        }
    }

    public record EventCreated(UUID eventId, String name, Instant startsAt, String currency, Integer maxAttendees,
                               boolean membersOnly, int maxTicketsPerOrder, List<TierView> tiers) {
    }

    private final InventoryCommands commands;

    public EventController(InventoryCommands commands) {
        this.commands = commands;
    }

    @Operation(operationId = "createEvent", summary = "Put an event on sale",
            description = "Creates the event with its tiers. `maxAttendees` may be below the sum of the tiers' "
                    + "capacities (shared capacity) or left out (no event-wide limit); `maxTicketsPerOrder` defaults "
                    + "to 10. A price is 0 (free) or one Stripe can charge in the currency (at least its minimum "
                    + "charge, at most 99,999,999 minor units); `currency` is one Stripe supports.")
    @ApiResponse(responseCode = "201", description = "Created: the event with its tiers' ids",
            headers = @Header(name = "Location", description = "The event's path", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: a missing or out-of-range field, a price "
            + "Stripe cannot charge, an unsupported currency, a tier name used twice")
    @PostMapping
    public ResponseEntity<EventCreated> create(@Valid @RequestBody CreateEventRequest request, Authentication auth) {
        EventId eventId = EventId.random();
        MDC.put("eventId", eventId.toString());
        List<TierSpec> tiers = request.tiers().stream().map(TierRequest::toSpec).toList();
        var command = new CreateEventInventory(eventId, request.name().trim(), request.startsAt(),
                request.currency().toLowerCase(Locale.ROOT), request.maxAttendees(),
                Boolean.TRUE.equals(request.membersOnly()),
                request.maxTicketsPerOrder() == null ? 10 : request.maxTicketsPerOrder(), tiers);
        commands.send(eventId, command, CurrentUser.of(auth).userId());
        log.info("Event '{}' put on sale with {} tier(s)", command.name(), tiers.size());
        return ResponseEntity.created(URI.create("/api/v1/events/" + eventId))
                .body(new EventCreated(eventId.value(), command.name(), command.startsAt(), command.currency(),
                        command.maxAttendees(), command.membersOnly(), command.maxTicketsPerOrder(),
                        tiers.stream().map(TierView::of).toList()));
    }

    @Operation(operationId = "addTier", summary = "Add a tier to an event",
            description = "A new tier, on sale at once; the price rules of an event's creation apply.")
    @ApiResponse(responseCode = "201", description = "Created: the tier with its id",
            headers = @Header(name = "Location", description = "The tier's path", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: a missing or out-of-range field, a price "
            + "Stripe cannot charge, a tier name the event has already")
    @ApiResponse(responseCode = "404", description = "EVENT_NOT_FOUND")
    @PostMapping("/{eventId}/tiers")
    public ResponseEntity<TierView> addTier(@PathVariable UUID eventId, @Valid @RequestBody TierRequest request,
                                            Authentication auth) {
        MDC.put("eventId", eventId.toString());
        TierSpec tier = request.toSpec();
        commands.send(new EventId(eventId), new AddTier(new EventId(eventId), tier), CurrentUser.of(auth).userId());
        log.info("Tier '{}' added", tier.name());
        return ResponseEntity.created(URI.create("/api/v1/events/" + eventId + "/tiers/" + tier.tierId()))
                .body(TierView.of(tier));
    }

    @Operation(operationId = "changeTierCapacity", summary = "Change a tier's capacity",
            description = "Raises or lowers how many tickets the tier has; never below what is already sold plus held.")
    @ApiResponse(responseCode = "200", description = "The tier's new capacity")
    @ApiResponse(responseCode = "404", description = "EVENT_NOT_FOUND; TIER_NOT_FOUND")
    @ApiResponse(responseCode = "409", description = "CAPACITY_BELOW_COMMITTED: below the tickets already sold plus "
            + "held (`committed`)")
    @PatchMapping("/{eventId}/tiers/{tierId}")
    public ResponseEntity<TierCapacity> changeCapacity(@PathVariable UUID eventId, @PathVariable UUID tierId,
                                                          @Valid @RequestBody CapacityRequest request,
                                                          Authentication auth) {
        MDC.put("eventId", eventId.toString());
        commands.send(new EventId(eventId), new ChangeTierCapacity(new EventId(eventId), new TierId(tierId),
                request.capacity()), CurrentUser.of(auth).userId());
        log.info("Tier {} capacity set to {}", tierId, request.capacity());
        return ResponseEntity.ok(new TierCapacity(tierId, request.capacity()));
    }
}
