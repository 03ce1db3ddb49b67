package dev.ticketing.query.orders;

import dev.ticketing.api.rejection.Forbidden;
import dev.ticketing.api.rejection.OrderNotFound;
import dev.ticketing.platform.security.CurrentUser;
import dev.ticketing.platform.security.Roles;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.UUID;

/**
 * The one place that says who may read an order and when the answer can be trusted: reads first
 * let the orders projection catch up with the event store (bounded), so a buyer sees their own
 * last write; then only the buyer, organisers and auditors get the order.
 */
@Component
public class ReadableOrders {

    private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(3);

    private final OrderViewRepository orders;
    private final ProjectionCatchUp catchUp;

    public ReadableOrders(OrderViewRepository orders, ProjectionCatchUp catchUp) {
        this.orders = orders;
        this.catchUp = catchUp;
    }

    /** @return whether the orders projection caught up before the wait ran out */
    public boolean awaitCatchUp() {
        return catchUp.await(OrderProjection.PROCESSING_GROUP, READ_YOUR_WRITES_WAIT);
    }

    /**
     * The order if the caller may read it. Not found is only told once the projection caught up;
     * before that the order may simply not be projected yet ({@link ReadModelBehind}).
     */
    public OrderView get(UUID orderId, Authentication auth) {
        CurrentUser caller = CurrentUser.of(auth);
        boolean caughtUp = awaitCatchUp();
        OrderView view = orders.findById(orderId).orElseThrow(() -> caughtUp
                ? new OrderNotFound(orderId.toString()) : new ReadModelBehind());
        if (!view.getUserId().equals(caller.userId()) && !caller.has(Roles.ORGANIZER) && !caller.has(Roles.AUDITOR)) {
            throw new Forbidden("This order belongs to someone else");
        }
        return view;
    }
}
