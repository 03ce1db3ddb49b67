package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An attempt failed; the order is RESERVED again until {@code expiresAt}. {@code deadlineId} is
 * the expiry deadline when one had to be scheduled anew (after processing), else null.
 */
@Revision("1")
public record PaymentFailed(EventId eventId, OrderId orderId, String code, String message, Instant expiresAt,
                            String deadlineId) {
}
