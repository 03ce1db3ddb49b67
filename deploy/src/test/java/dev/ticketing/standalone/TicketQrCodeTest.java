package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.ticketing.platform.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The QR code of each issued ticket: what it encodes, who gets it, and when there is none. */
class TicketQrCodeTest extends StandaloneOnPostgres {

    private static final Pattern UNIT_SQUARE = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z");
    private static final int QUIET_ZONE = 4;
    private static final int PIXELS_PER_MODULE = 8;

    @Test
    void eachTicketOfAConfirmedOrderHasAQrCodeOfItsCodeForWhoMayReadTheOrder() throws Exception {
        JsonNode event = createEvent(null, false, "General", 2500, 10, "VIP", 9000, 5);
        String owner = buyer();
        String orderId = reserve(owner, event.path("eventId").asText(), tierId(event, 0), 2, tierId(event, 1), 1)
                .body().path("orderId").asText();
        JsonNode tickets = pay(orderId, owner).path("tickets");
        assertThat(tickets).hasSize(3);

        for (JsonNode ticket : tickets) {
            String code = ticket.path("code").asText();
            ApiClient.Response qr = api.get(qrPath(orderId, ticket.path("ticketId").asText()), owner);
            assertThat(qr.status()).as(qr.toString()).isEqualTo(200);
            assertThat(qr.contentType()).isEqualTo("image/svg+xml");
            assertThat(qr.header("Cache-Control")).isEqualTo("private, max-age=3600");

            Document svg = parse(qr.raw().body());
            assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Ticket " + code);
            Result decoded = decode(svg);
            assertThat(decoded.getText()).isEqualTo(code);
            assertThat(decoded.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo("M");
        }

        String someTicket = qrPath(orderId, tickets.get(0).path("ticketId").asText());
        assertThat(api.get(someTicket, ORGANIZER).status()).isEqualTo(200);
        assertThat(api.get(someTicket, AUDITOR).status()).isEqualTo(200);
        assertProblem(api.get(someTicket, buyer()), 403, "FORBIDDEN");
        assertProblem(api.get(someTicket, null), 401, "UNAUTHENTICATED");
        assertProblem(api.get(qrPath(UUID.randomUUID().toString(), tickets.get(0).path("ticketId").asText()), owner),
                404, "ORDER_NOT_FOUND");
    }

    @Test
    void anOrderNotYetPaidHasNoTicketsToShow() {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String owner = buyer();
        String orderId = reserve(owner, event.path("eventId").asText(), tierId(event, 0), 1).body().path("orderId").asText();
        assertThat(api.get("/api/v1/orders/" + orderId, owner).body().path("status").asText()).isEqualTo("RESERVED");

        assertProblem(api.get(qrPath(orderId, UUID.randomUUID().toString()), owner), 404, "TICKET_NOT_FOUND");
    }

    @Test
    void anUnknownTicketOrARefundedOneHasNoQrCode() throws Exception {
        JsonNode event = createEvent(null, false, "General", 2500, 10);
        String owner = buyer();
        String orderId = reserve(owner, event.path("eventId").asText(), tierId(event, 0), 1).body().path("orderId").asText();
        String ticketId = pay(orderId, owner).path("tickets").get(0).path("ticketId").asText();

        assertProblem(api.get(qrPath(orderId, UUID.randomUUID().toString()), owner), 404, "TICKET_NOT_FOUND");
        // a browser asks for an image; the refusal is still problem+json
        HttpResponse<String> asImage = getAccepting(qrPath(orderId, UUID.randomUUID().toString()), owner, "image/svg+xml");
        assertThat(asImage.statusCode()).isEqualTo(404);
        assertThat(asImage.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(asImage.body()).contains("TICKET_NOT_FOUND");

        assertThat(api.post("/api/v1/orders/" + orderId + "/refund", ORGANIZER, Map.of()).status()).isEqualTo(202);
        awaitOrder(orderId, owner, "REFUNDED");
        assertProblem(api.get(qrPath(orderId, ticketId), owner), 404, "TICKET_NOT_FOUND");
    }

    @Test
    void ticketAndOrderIdsMustBeUuids() {
        ApiClient.Response badTicket = api.get(qrPath(UUID.randomUUID().toString(), "not-a-uuid"), buyer());
        assertProblem(badTicket, 400, "VALIDATION_FAILED");
        assertThat(badTicket.body().path("errors").toString()).contains("ticketId");
        ApiClient.Response badOrder = api.get(qrPath("42", UUID.randomUUID().toString()), buyer());
        assertProblem(badOrder, 400, "VALIDATION_FAILED");
        assertThat(badOrder.body().path("errors").toString()).contains("orderId");
    }

    /** Pays with a card that goes through and returns the confirmed order. */
    private JsonNode pay(String orderId, String token) {
        JsonNode payment = awaitPayment(orderId, token);
        assertThat(stripeBuyer().confirm(payment.path("paymentIntentId").asText(), payment.path("clientSecret").asText(),
                "pm_card_visa").status()).isEqualTo(200);
        return awaitOrder(orderId, token, "CONFIRMED");
    }

    private static String qrPath(String orderId, String ticketId) {
        return "/api/v1/orders/" + orderId + "/tickets/" + ticketId + "/qr";
    }

    private static void assertProblem(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
    }

    private HttpResponse<String> getAccepting(String path, String token, String accept) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Draws the SVG's modules as a scanner would see them, from the path's unit squares, and reads
     * it back with zxing's own decoder: proof that the image, not just the server's intent, says the code.
     */
    private static Result decode(Document svg) throws Exception {
        Element root = svg.getDocumentElement();
        assertThat(root.getAttribute("shape-rendering")).isEqualTo("crispEdges");
        String[] viewBox = root.getAttribute("viewBox").split(" ");
        assertThat(viewBox).hasSize(4).startsWith("0", "0");
        int modules = Integer.parseInt(viewBox[2]);
        assertThat(viewBox[3]).isEqualTo(viewBox[2]);
        assertThat(svg.getElementsByTagName("path").getLength()).isEqualTo(1);
        String d = ((Element) svg.getElementsByTagName("path").item(0)).getAttribute("d");
        assertThat(d).matches("(" + UNIT_SQUARE.pattern() + ")+");

        int side = modules * PIXELS_PER_MODULE;
        int[] pixels = new int[side * side];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher square = UNIT_SQUARE.matcher(d);
        while (square.find()) {
            int x = Integer.parseInt(square.group(1));
            int y = Integer.parseInt(square.group(2));
            assertThat(x).as("outside the quiet zone").isBetween(QUIET_ZONE, modules - QUIET_ZONE - 1);
            assertThat(y).as("outside the quiet zone").isBetween(QUIET_ZONE, modules - QUIET_ZONE - 1);
            for (int py = y * PIXELS_PER_MODULE; py < (y + 1) * PIXELS_PER_MODULE; py++) {
                java.util.Arrays.fill(pixels, py * side + x * PIXELS_PER_MODULE, py * side + (x + 1) * PIXELS_PER_MODULE,
                        0xFF000000);
            }
        }
        BinaryBitmap image = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(side, side, pixels)));
        return new QRCodeReader().decode(image);
    }
}
