package dev.ticketing.query.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservationExpired;
import dev.ticketing.api.inventory.TicketsReserved;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.stereotype.Component;

/** Each order's state, lines and tickets, for its buyer and for organisers. */
@Component
@ProcessingGroup(OrderProjection.PROCESSING_GROUP)
public class OrderProjection {

    public static final String PROCESSING_GROUP = "orders";

    private final OrderViewRepository orders;
    private final ObjectMapper json;

    public OrderProjection(OrderViewRepository orders, ObjectMapper json) {
        this.orders = orders;
        this.json = json;
    }

    @EventHandler
    void on(TicketsReserved reserved) throws JsonProcessingException {
        orders.save(new OrderView(reserved.orderId().value(), reserved.eventId().value(), reserved.userId(),
                reserved.reservedAt(), reserved.expiresAt(), reserved.totalCents(), reserved.currency(),
                json.writeValueAsString(reserved.lines())));
    }

    @EventHandler
    void on(ReservationCancelled cancelled) {
        order(cancelled.orderId()).moveTo(OrderStatus.CANCELLED);
    }

    @EventHandler
    void on(ReservationExpired expired) {
        order(expired.orderId()).moveTo(OrderStatus.EXPIRED);
    }

    @EventHandler
    void on(OrderConfirmed confirmed) throws JsonProcessingException {
        order(confirmed.orderId()).confirm(json.writeValueAsString(confirmed.tickets()));
    }

    @ResetHandler
    void reset() {
        orders.deleteAllInBatch();
    }

    private OrderView order(OrderId orderId) {
        return orders.findById(orderId.value()).orElseThrow();
    }
}
