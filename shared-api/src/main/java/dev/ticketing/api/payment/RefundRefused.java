package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

/**
 * Stripe refused for good to refund this order (e.g. its charge is disputed: the bank settles it).
 * The order stays as it was; an organiser or auditor sees why. {@code code} is Stripe's.
 */
@Revision("1")
public record RefundRefused(EventId eventId, OrderId orderId, String code, String reason) {
}
