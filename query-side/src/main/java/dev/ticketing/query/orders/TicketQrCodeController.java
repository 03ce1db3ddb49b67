package dev.ticketing.query.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.api.rejection.TicketNotFound;
import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * One QR code per issued ticket, for the buyer's page: an SVG that encodes the ticket's
 * {@code code}, for whoever may read the order ({@link ReadableOrders}), while it is confirmed.
 */
@RestController
@Tag(name = ApiTags.ORDERS)
public class TicketQrCodeController {

    static final MediaType IMAGE_SVG = MediaType.valueOf("image/svg+xml");
    /** A ticket's code never changes, so the browser may keep it; private: it is the buyer's, not for shared caches. */
    static final String CACHE_CONTROL = "private, max-age=3600";

    private final ReadableOrders readable;
    private final ObjectMapper json;

    public TicketQrCodeController(ReadableOrders readable, ObjectMapper json) {
        this.readable = readable;
        this.json = json;
    }

    /** Bytes, not a String, so the body is UTF-8 (what XML assumes) without a charset on the content type. */
    @Operation(operationId = "getTicketQrCode", summary = "A ticket's QR code",
            description = "An SVG QR code of the ticket's `code`, while the order is confirmed; for whoever may "
                    + "read the order. Private to the browser's cache for an hour.")
    @ApiResponse(responseCode = "200", description = "The QR code", content = @Content(mediaType = "image/svg+xml",
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "FORBIDDEN: someone else's order")
    @ApiResponse(responseCode = "404", description = "ORDER_NOT_FOUND; TICKET_NOT_FOUND: no such ticket in the "
            + "order, or the order is not confirmed (before payment, after a refund)")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_BEHIND: the order is not read yet")
    @GetMapping("/api/v1/orders/{orderId}/tickets/{ticketId}/qr")
    public ResponseEntity<byte[]> qrCode(@PathVariable UUID orderId, @PathVariable UUID ticketId, Authentication auth) {
        OrderView order = readable.get(orderId, auth);
        String code = codeOf(order, ticketId)
                .orElseThrow(() -> new TicketNotFound(orderId.toString(), ticketId.toString()));
        return ResponseEntity.ok()
                .contentType(IMAGE_SVG)
                .header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
                .body(QrCodeSvg.of(code, "Ticket " + code).getBytes(StandardCharsets.UTF_8));
    }

    /** Only a confirmed order's tickets are valid: before payment there are none, after a refund they are void. */
    private Optional<String> codeOf(OrderView order, UUID ticketId) {
        if (order.getStatus() != OrderStatus.CONFIRMED || order.getTickets() == null) {
            return Optional.empty();
        }
        try {
            for (JsonNode ticket : json.readTree(order.getTickets())) {
                if (ticketId.toString().equalsIgnoreCase(ticket.path("ticketId").asText())) {
                    return Optional.of(ticket.path("code").asText());
                }
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable tickets of order " + order.getOrderId(), e);
        }
    }
}
