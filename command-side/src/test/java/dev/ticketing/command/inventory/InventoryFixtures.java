package dev.ticketing.command.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.HoldsExpiryScheduled;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.rejection.InvalidRequest;
import dev.ticketing.api.rejection.OrderNotCancellable;
import dev.ticketing.api.rejection.OrderNotConfirmable;
import dev.ticketing.api.rejection.OrderNotRefundable;
import dev.ticketing.api.rejection.Rejection;
import org.axonframework.messaging.Message;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the {@link TierInventory} fixture tests share: their fixture and its clock, the ids, the event's settings, the commands and
 * given events they build, and the matchers they expect with. Every reservation is requested at
 * {@link #NOW}, so every hold ends at {@link #EXPIRES_AT}; the tests start their fixture's clock at
 * {@code NOW} too.
 */
abstract class InventoryFixtures {

    protected AggregateTestFixture<TierInventory> fixture;

    @BeforeEach
    void newFixture() {
        fixture = new AggregateTestFixture<>(TierInventory.class);
    }

    // ---- given: the fixture's clock starts at NOW, when every reservation is requested ----

    protected TestExecutor<TierInventory> given(Object... events) {
        return fixture.givenCurrentTime(NOW).andGiven(events);
    }

    protected TestExecutor<TierInventory> givenCommands(Object... commands) {
        return fixture.givenCurrentTime(NOW).andGivenCommands(commands);
    }

    // ---- ids ----

    static final EventId EVENT = new EventId(UUID.fromString("0000000e-0000-4000-8000-000000000001"));
    static final TierId GENERAL = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000001"));
    static final TierId VIP = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000002"));
    static final TierId BALCONY = new TierId(UUID.fromString("0000000a-0000-4000-8000-000000000003"));
    static final TierId UNKNOWN_TIER = new TierId(UUID.fromString("0000000a-0000-4000-8000-0000000000ff"));
    static final OrderId ORDER = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000001"));
    static final OrderId ORDER_2 = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000002"));
    static final OrderId ORDER_3 = new OrderId(UUID.fromString("0000000b-0000-4000-8000-000000000003"));
    static final OrderId UNKNOWN_ORDER = new OrderId(UUID.fromString("0000000b-0000-4000-8000-0000000000ff"));
    static final String ALICE = "alice";
    static final String BOB = "bob";
    static final String CAROL = "carol";
    static final String ORGANISER = "organiser";
    static final boolean MEMBER = true;
    static final boolean NOT_MEMBER = false;

    // ---- the event and its holds ----

    static final String NAME = "Launch Night";
    static final Instant STARTS_AT = Instant.parse("2027-03-01T19:00:00Z");
    static final String CURRENCY = "EUR";
    static final int MAX_PER_ORDER = 6;
    static final long GENERAL_PRICE = 2500;
    static final long VIP_PRICE = 9000;
    static final Instant NOW = Instant.parse("2027-01-01T10:00:00Z");
    static final Duration HOLD = Duration.ofMinutes(15);
    /** The usual end of every hold in these tests. */
    static final Instant EXPIRES_AT = NOW.plus(HOLD);
    static final Instant CONFIRMED_AT = NOW.plus(Duration.ofMinutes(3));
    static final String HOLDS_EXPIRY = "holds-expiry";
    /** A hold's own timeout, as holds reserved before the inventory's expiry deadline had. */
    static final String RESERVATION_EXPIRY = "reservation-expiry";

    // ---- commands ----

    static CreateEventInventory createInventory(TierSpec... tiers) {
        return new CreateEventInventory(EVENT, NAME, STARTS_AT, CURRENCY, null, false, MAX_PER_ORDER, List.of(tiers));
    }

    /** A non-member's reservation of these lines, requested at NOW for HOLD. */
    static ReserveTickets reserve(OrderId orderId, String userId, List<TicketRequest> lines) {
        return new ReserveTickets(EVENT, orderId, userId, lines, NOT_MEMBER, NOW, HOLD);
    }

    /** A non-member's reservation of this many General seats, requested at NOW for HOLD. */
    static ReserveTickets reserve(OrderId orderId, String userId, int generalSeats) {
        return reserve(orderId, userId, lines(GENERAL, generalSeats));
    }

    static List<TicketRequest> lines(TierId tier, int quantity) {
        return List.of(new TicketRequest(tier, quantity));
    }

    static List<TicketRequest> lines(TierId tier, int quantity, TierId otherTier, int otherQuantity) {
        return List.of(new TicketRequest(tier, quantity), new TicketRequest(otherTier, otherQuantity));
    }

    // ---- events ----

    static TierSpec generalTier(int capacity) {
        return new TierSpec(GENERAL, "General", GENERAL_PRICE, capacity);
    }

    static TierSpec vipTier(int capacity) {
        return new TierSpec(VIP, "VIP", VIP_PRICE, capacity);
    }

    static EventInventoryCreated inventoryCreated(TierSpec... tiers) {
        return new EventInventoryCreated(EVENT, NAME, STARTS_AT, CURRENCY, null, false, MAX_PER_ORDER, List.of(tiers));
    }

    static EventInventoryCreated inventoryCreatedWithMaxAttendees(int maxAttendees, TierSpec... tiers) {
        return new EventInventoryCreated(EVENT, NAME, STARTS_AT, CURRENCY, maxAttendees, false, MAX_PER_ORDER,
                List.of(tiers));
    }

    static EventInventoryCreated membersOnlyInventoryCreated(TierSpec... tiers) {
        return new EventInventoryCreated(EVENT, NAME, STARTS_AT, CURRENCY, null, true, MAX_PER_ORDER, List.of(tiers));
    }

    static ReservedLine generalSeats(int quantity) {
        return new ReservedLine(GENERAL, quantity, GENERAL_PRICE);
    }

    static ReservedLine vipSeats(int quantity) {
        return new ReservedLine(VIP, quantity, VIP_PRICE);
    }

    static long total(ReservedLine... lines) {
        return Arrays.stream(lines).mapToLong(ReservedLine::amountCents).sum();
    }

    /** A hold requested at NOW, ended by the inventory's expiry deadline. */
    static TicketsReserved reserved(OrderId orderId, String userId, ReservedLine... lines) {
        return new TicketsReserved(EVENT, orderId, userId, List.of(lines), total(lines), CURRENCY, NOW, EXPIRES_AT,
                null);
    }

    /** A hold as earlier versions granted it, with a timeout of its own (a fixed stand-in id). */
    static TicketsReserved reservedWithOwnTimeout(OrderId orderId, String userId, ReservedLine... lines) {
        return new TicketsReserved(EVENT, orderId, userId, List.of(lines), total(lines), CURRENCY, NOW, EXPIRES_AT,
                "deadline-" + orderId);
    }

    /** The inventory's expiry deadline, scheduled for {@code at} (null: none left). */
    static HoldsExpiryScheduled expiryScheduled(Instant at) {
        return new HoldsExpiryScheduled(EVENT, at);
    }

    static ReservationCancelled cancelled(OrderId orderId, String userId, ReservedLine... lines) {
        return new ReservationCancelled(EVENT, orderId, userId, List.of(lines), userId);
    }

    static ReservationExpired expired(OrderId orderId, String userId, ReservedLine... lines) {
        return new ReservationExpired(EVENT, orderId, userId, List.of(lines));
    }

    static OrderConfirmed confirmed(OrderId orderId, String userId, ReservedLine... lines) {
        return orderConfirmedEvent(orderId, userId, false, lines);
    }

    static OrderConfirmed lateConfirmed(OrderId orderId, String userId, ReservedLine... lines) {
        return orderConfirmedEvent(orderId, userId, true, lines);
    }

    private static OrderConfirmed orderConfirmedEvent(OrderId orderId, String userId, boolean late,
                                                      ReservedLine... lines) {
        List<IssuedTicket> tickets = new ArrayList<>();
        for (ReservedLine line : lines) {
            for (int i = 0; i < line.quantity(); i++) {
                tickets.add(new IssuedTicket(TicketId.random(), line.tierId(), "CODE" + orderId + line.tierId() + i));
            }
        }
        return new OrderConfirmed(EVENT, orderId, userId, List.of(lines), total(lines), CURRENCY, tickets,
                CONFIRMED_AT, late);
    }

    // ---- matchers ----

    /** A granted hold equal to {@code expected}, with no timeout of its own (the inventory's deadline ends it). */
    static Matcher<Object> holdLike(TicketsReserved expected) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!(item instanceof TicketsReserved actual)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                boolean sameHold = actual.eventId().equals(expected.eventId())
                        && actual.orderId().equals(expected.orderId())
                        && actual.userId().equals(expected.userId())
                        && actual.lines().equals(expected.lines())
                        && actual.totalCents() == expected.totalCents()
                        && actual.currency().equals(expected.currency())
                        && actual.reservedAt().equals(expected.reservedAt())
                        && actual.expiresAt().equals(expected.expiresAt());
                boolean noOwnTimeout = actual.expiryDeadlineId() == null;
                if (!sameHold || !noOwnTimeout) {
                    mismatch.appendText("was ").appendValue(actual);
                }
                return sameHold && noOwnTimeout;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a hold like ").appendValue(expected)
                           .appendText(" with no expiryDeadlineId");
            }
        };
    }

    /** The inventory's expiry deadline scheduled for the end of a hold requested at NOW (the first one). */
    static Matcher<Message<?>> theExpiry() {
        return messageWithPayload(equalTo(expiryScheduled(EXPIRES_AT)));
    }

    /** A hold of these lines, requested at NOW and ending at EXPIRES_AT. */
    static Matcher<Object> holdOf(OrderId orderId, String userId, ReservedLine... lines) {
        return holdLike(reserved(orderId, userId, lines));
    }

    static Matcher<Object> orderNotCancellable(OrderId orderId) {
        return rejection(OrderNotCancellable.class, "ORDER_NOT_CANCELLABLE", Map.of("orderId", orderId.toString()));
    }

    static Matcher<Object> orderNotConfirmable(OrderId orderId) {
        return rejection(OrderNotConfirmable.class, "ORDER_NOT_CONFIRMABLE", Map.of("orderId", orderId.toString()));
    }

    static Matcher<Object> orderNotRefundable(OrderId orderId) {
        return rejection(OrderNotRefundable.class, "ORDER_NOT_REFUNDABLE", Map.of("orderId", orderId.toString()));
    }

    /** VALIDATION_FAILED naming the offending field. */
    static Matcher<Object> invalidRequest(String field) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!(item instanceof InvalidRequest rejection)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                boolean matches = rejection.code().equals("VALIDATION_FAILED")
                        && rejection.properties().get("errors") instanceof List<?> errors
                        && errors.size() == 1
                        && errors.get(0) instanceof Map<?, ?> error
                        && field.equals(error.get("field"));
                if (!matches) {
                    mismatch.appendText("was ").appendValue(rejection.code()).appendText(" with ")
                            .appendValue(rejection.properties());
                }
                return matches;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("InvalidRequest VALIDATION_FAILED on field ").appendValue(field);
            }
        };
    }

    /** A rejection of this type and API code whose properties are exactly {@code properties}. */
    static Matcher<Object> rejection(Class<? extends Rejection> type, String code, Map<String, Object> properties) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item, Description mismatch) {
                if (!type.isInstance(item)) {
                    mismatch.appendText("was ").appendValue(item);
                    return false;
                }
                Rejection rejection = (Rejection) item;
                boolean matches = rejection.code().equals(code)
                        && Objects.equals(rejection.properties(), properties);
                if (!matches) {
                    mismatch.appendText("was ").appendValue(rejection.code()).appendText(" with ")
                            .appendValue(rejection.properties());
                }
                return matches;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(type.getSimpleName()).appendText(" ").appendValue(code)
                           .appendText(" with ").appendValue(properties);
            }
        };
    }
}
