package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The hold now lasts until {@code holdUntil}. {@code deadlineId}: null (the inventory's expiry
 * deadline ends it); in events of earlier versions, a timeout of the hold's own.
 */
@Revision("1")
public record PaymentProcessing(EventId eventId, OrderId orderId, Instant holdUntil, String deadlineId) {
}
