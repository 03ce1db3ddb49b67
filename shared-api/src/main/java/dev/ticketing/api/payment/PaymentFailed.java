package dev.ticketing.api.payment;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * An attempt failed; the order is RESERVED again until {@code expiresAt}. {@code deadlineId}: null;
 * in events of earlier versions, the hold's own timeout when one was scheduled anew (after processing).
 */
@Revision("1")
public record PaymentFailed(EventId eventId, OrderId orderId, String code, String message, Instant expiresAt,
                            String deadlineId) {
}
