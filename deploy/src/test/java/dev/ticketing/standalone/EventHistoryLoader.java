package dev.ticketing.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TicketId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.EventInventoryCreated;
import dev.ticketing.api.inventory.HoldsExpiryScheduled;
import dev.ticketing.api.inventory.IssuedTicket;
import dev.ticketing.api.inventory.OrderConfirmed;
import dev.ticketing.api.inventory.ReservationCancelled;
import dev.ticketing.api.inventory.ReservedLine;
import dev.ticketing.api.inventory.TicketsReserved;
import dev.ticketing.api.inventory.TierSpec;
import dev.ticketing.api.payment.PaymentIntentCreated;
import dev.ticketing.api.payment.StripeFeeRecorded;
import dev.ticketing.platform.testing.TestDatabase;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Appends synthetic but valid history straight into the service's event store with JDBC (batched,
 * multi-row inserts), in the form the service itself writes: serialized by Axon's Jackson
 * serializer with an ObjectMapper as Spring Boot configures it (so the payload types, the
 * revisions of the {@code @Revision} annotations, the JSON and the metadata are the service's),
 * aggregate type {@code TierInventory}, sequence numbers from 0 per event on sale, unique event
 * identifiers, timestamps as Axon's JDBC engine writes them. {@link #differencesFrom} checks that
 * form against rows the service wrote itself.
 * <p>
 * The history of an event on sale: created, then 20 orders of 2 General and 1 VIP; a quarter
 * cancelled by their buyer before they started to pay (a hold alone gets no payment intent), the
 * rest paid: the payment intent made when their buyer started to pay (recorded on the event's own
 * stream, as the service records it), then confirmed by Stripe with Stripe's fee; the inventory's
 * expiry deadline scheduled with the first hold, and its run finding every hold closed: 73 events.
 * Every order ends closed, so no deadline is owed and nothing happens to it later. The command
 * side's order directory gets each order's row too (with the paid orders' intents), as its
 * subscribing handler writes them.
 * <p>
 * It is appended while the service is stopped, before the load. The projections then process it
 * like any new history when it starts again; the payment saga does not: it would start one saga
 * per paid order (15 per event on sale, some 200,000 in the full mode's million events), a
 * backlog that would compete with the load, for payments long settled (it would make no Stripe
 * call: nothing in this history ends a hold whose intent is open). {@link #movePaymentSagaPast}
 * moves the saga's token past it instead, so the synthetic orders have no saga; nothing in the
 * benchmark refunds them, which is the one thing one would be needed for.
 */
final class EventHistoryLoader {

    static final int MAX_ATTENDEES = 100;
    static final int CONFIRMED_ORDERS = 15;
    static final int GENERAL_SOLD = 2 * CONFIRMED_ORDERS;
    static final int VIP_SOLD = CONFIRMED_ORDERS;
    static final long REVENUE_CENTS = CONFIRMED_ORDERS * (2 * 2500 + 9000);

    /** One synthetic event on sale: what the read models must show of it once projected. */
    record Sale(String eventId, String generalTierId, String vipTierId, String confirmedOrderId) {
    }

    record Appended(long events, double seconds, List<Sale> samples) {
    }

    private record Row(String aggregateType, String aggregateId, long sequence, String eventIdentifier,
                       byte[] metaData, byte[] payload, String payloadRevision, String payloadType, String timestamp) {
    }

    private record DirectoryRow(UUID orderId, UUID eventId, String userId, String reservation, Instant createdAt,
                                String paymentIntentId) {
    }

    private record History(List<Row> events, List<DirectoryRow> orders, Sale sale) {
    }

    private static final String AGGREGATE_TYPE = "TierInventory";
    /** Created; per order: reserved, then cancelled (5) or intent, confirmed and fee (15). */
    private static final int EVENTS_PER_SALE = 73;
    private static final int ORDERS_PER_SALE = 20;
    private static final int SALES_PER_TRANSACTION = 100;
    private static final int ROWS_PER_BATCH = 1_000;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    private static final String INSERT_EVENT = "INSERT INTO DomainEventEntry (aggregateIdentifier, sequenceNumber, type, "
            + "eventIdentifier, metaData, payload, payloadRevision, payloadType, timeStamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_ORDER = "INSERT INTO order_directory (order_id, event_id, user_id, reservation, "
            + "created_at, payment_intent_id) VALUES (?, ?, ?, ?, ?, ?)";
    private static final char[] TICKET_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final char[] STRIPE_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ObjectMapper json = Jackson2ObjectMapperBuilder.json()
            .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(json).build();
    private final SplittableRandom random = new SplittableRandom();   // ids and codes of a synthetic past, not secrets
    private final TestDatabase.Schema schema;
    /** Every stored event gets its own instant, a millisecond apart, in the day before the run. */
    private Instant clock = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
    private int salesMade;

    EventHistoryLoader(TestDatabase.Schema schema) {
        this.schema = schema;
    }

    /** Appends whole events on sale until at least {@code events} events were appended. */
    Appended append(long events) throws SQLException {
        long sales = (events + EVENTS_PER_SALE - 1) / EVENTS_PER_SALE;
        List<Sale> samples = new ArrayList<>();
        long appended = 0;
        long started = System.nanoTime();
        long lastProgress = started;
        // reWriteBatchedInserts: the driver sends each batch as multi-row INSERTs
        try (Connection connection = DriverManager.getConnection(schema.url() + "&reWriteBatchedInserts=true",
                schema.user(), schema.password());
             PreparedStatement insertEvent = connection.prepareStatement(INSERT_EVENT);
             PreparedStatement insertOrder = connection.prepareStatement(INSERT_ORDER)) {
            connection.setAutoCommit(false);
            int batched = 0;
            for (long sale = 0; sale < sales; sale++) {
                History history = historyOfOneSale();
                for (Row row : history.events()) {
                    bind(insertEvent, row);
                    insertEvent.addBatch();
                    if (++batched % ROWS_PER_BATCH == 0) {
                        insertEvent.executeBatch();
                    }
                }
                for (DirectoryRow order : history.orders()) {
                    bind(insertOrder, order);
                    insertOrder.addBatch();
                }
                appended += history.events().size();
                if (sale == 0 || sale == sales / 2 || sale == sales - 1) {
                    samples.add(history.sale());
                }
                if (sale % SALES_PER_TRANSACTION == SALES_PER_TRANSACTION - 1 || sale == sales - 1) {
                    insertEvent.executeBatch();
                    insertOrder.executeBatch();
                    connection.commit();
                    long now = System.nanoTime();
                    if (now - lastProgress >= PROGRESS_EVERY.toNanos() || sale == sales - 1) {
                        double seconds = (now - started) / 1e9;
                        System.out.printf(Locale.ROOT, "[history] appended %,d of %,d events in %.1f s (%,.0f events/s)%n",
                                appended, sales * EVENTS_PER_SALE, seconds, appended / seconds);
                        lastProgress = now;
                    }
                }
            }
        }
        return new Appended(appended, (System.nanoTime() - started) / 1e9, samples);
    }

    /**
     * Moves the payment saga's token from {@code storedBefore} (where it must be: it had handled
     * everything the service stored) to {@code head}, past the appended history. Run while the
     * service is stopped, so no one holds the token.
     */
    void movePaymentSagaPast(long storedBefore, long head) throws SQLException {
        try (Connection connection = DriverManager.getConnection(schema.url(), schema.user(), schema.password())) {
            connection.setAutoCommit(false);
            List<Integer> segments = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT segment, tokenType, convert_from(token, 'UTF8') "
                    + "FROM TokenEntry WHERE processorName = ? FOR UPDATE")) {
                query.setString(1, ServiceDatabase.PAYMENT_SAGA);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        JsonNode token = read(rows.getString(3));
                        if (!GapAwareTrackingToken.class.getName().equals(rows.getString(2))
                                || token.path("index").asLong() < storedBefore) {
                            throw new IllegalStateException("The payment saga had not handled all " + storedBefore
                                    + " stored events: " + rows.getString(2) + " " + token);
                        }
                        segments.add(rows.getInt(1));
                    }
                }
            }
            if (segments.isEmpty()) {
                throw new IllegalStateException("The payment saga has no token");
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE TokenEntry SET token = ? "
                    + "WHERE processorName = ? AND segment = ?")) {
                for (int segment : segments) {
                    byte[] token = serializer.serialize(GapAwareTrackingToken.newInstance(head, List.of()), byte[].class).getData();
                    update.setBytes(1, token);
                    update.setString(2, ServiceDatabase.PAYMENT_SAGA);
                    update.setInt(3, segment);
                    update.executeUpdate();
                }
            }
            connection.commit();
        }
    }

    /**
     * How the synthetic rows differ from those the service wrote for event {@code eventId} (its own
     * stream and its orders' payment streams), payload
     * type by payload type: the aggregate type, the revision, the JSON of payload and metadata
     * (the same fields in the same order, the same kinds of value: number, UUID, instant, ...)
     * and the form of the timestamp. Empty when they agree and every synthetic type was compared
     * (the service's {@code PaymentIntentCreated} too: an order of that event must have been paid).
     */
    List<String> differencesFrom(Connection service, String eventId) throws SQLException {
        Map<String, Row> specimens = new LinkedHashMap<>();
        historyOfOneSale().events().forEach(row -> specimens.putIfAbsent(row.payloadType(), row));
        List<String> differences = new ArrayList<>();
        try (PreparedStatement query = service.prepareStatement("SELECT type, metaData, payload, payloadRevision, "
                + "payloadType, timeStamp FROM DomainEventEntry WHERE aggregateIdentifier = ? OR aggregateIdentifier IN "
                + "(SELECT order_id::text FROM order_directory WHERE event_id = ?::uuid) ORDER BY globalIndex")) {
            query.setString(1, eventId);
            query.setString(2, eventId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Row specimen = specimens.remove(rows.getString("payloadType"));
                    if (specimen == null) {
                        continue;
                    }
                    String what = specimen.payloadType() + ": ";
                    if (!specimen.aggregateType().equals(rows.getString("type"))) {
                        differences.add(what + "aggregate type " + rows.getString("type"));
                    }
                    if (!specimen.payloadRevision().equals(rows.getString("payloadRevision"))) {
                        differences.add(what + "revision " + rows.getString("payloadRevision") + " vs " + specimen.payloadRevision());
                    }
                    if (!digitsMasked(specimen.timestamp()).equals(digitsMasked(rows.getString("timeStamp")))) {
                        differences.add(what + "timestamp " + rows.getString("timeStamp") + " vs " + specimen.timestamp());
                    }
                    compareShape(what + "payload", read(rows.getBytes("payload")), read(specimen.payload()), differences);
                    compareShape(what + "metadata", read(rows.getBytes("metaData")), read(specimen.metaData()), differences);
                }
            }
        }
        specimens.keySet().forEach(type -> differences.add(type + ": the service wrote none to compare with"));
        return differences;
    }

    private History historyOfOneSale() {
        EventId eventId = EventId.random();
        TierId general = TierId.random();
        TierId vip = TierId.random();
        int number = ++salesMade;
        List<Row> events = new ArrayList<>();
        long sequence = 0;
        List<DirectoryRow> orders = new ArrayList<>();
        String created = UUID.randomUUID().toString();
        events.add(row(eventId, sequence++, Map.of("userId", "history-organiser", "causationId", created,
                "correlationId", created), new EventInventoryCreated(eventId, "Synthetic Gala " + number,
                clock.plus(Duration.ofDays(200)).truncatedTo(ChronoUnit.HOURS), "usd", MAX_ATTENDEES, false, 10,
                List.of(new TierSpec(general, "General", 2500, 80), new TierSpec(vip, "VIP", 9000, 30)))));
        String confirmedOrder = null;
        for (int n = 0; n < ORDERS_PER_SALE; n++) {
            OrderId orderId = OrderId.random();
            String buyer = "history-buyer-" + UUID.randomUUID();
            List<ReservedLine> lines = List.of(new ReservedLine(general, 2, 2500), new ReservedLine(vip, 1, 9000));
            long total = 2 * 2500 + 9000;
            Instant reservedAt = clock;
            String reserve = UUID.randomUUID().toString();
            TicketsReserved reserved = new TicketsReserved(eventId, orderId, buyer, lines, total, "usd", reservedAt,
                    reservedAt.plus(Duration.ofMinutes(15)), null);
            events.add(row(eventId, sequence++, Map.of("userId", buyer, "causationId", reserve, "correlationId", reserve),
                    reserved));
            if (n == 0) {
                events.add(row(eventId, sequence++, Map.of("userId", buyer, "causationId", reserve,
                        "correlationId", reserve), new HoldsExpiryScheduled(eventId, reserved.expiresAt())));
            }
            boolean paid = n % 4 != 0;   // the others are cancelled before their buyer starts to pay
            String paymentIntentId = paid ? stripeId("pi_") : null;
            if (paid) {
                String pay = UUID.randomUUID().toString();
                events.add(row(eventId, sequence++, Map.of("userId", buyer, "causationId", pay, "correlationId", pay),
                        new PaymentIntentCreated(eventId, orderId, paymentIntentId)));
            }
            orders.add(new DirectoryRow(orderId.value(), eventId.value(), buyer, write(reserved), reservedAt, paymentIntentId));
            if (!paid) {
                String cancel = UUID.randomUUID().toString();
                events.add(row(eventId, sequence++, Map.of("userId", buyer, "causationId", cancel, "correlationId", cancel),
                        new ReservationCancelled(eventId, orderId, buyer, lines, buyer)));
            } else {
                List<IssuedTicket> tickets = List.of(new IssuedTicket(TicketId.random(), general, ticketCode()),
                        new IssuedTicket(TicketId.random(), general, ticketCode()),
                        new IssuedTicket(TicketId.random(), vip, ticketCode()));
                events.add(row(eventId, sequence++, Map.of("userId", "stripe", "causationId", UUID.randomUUID().toString(),
                        "correlationId", stripeId("evt_")), new OrderConfirmed(eventId, orderId, buyer, lines, total, "usd",
                        tickets, clock, false)));
                events.add(row("OrderPayment", orderId.toString(), 0, Map.of("userId", "stripe", "causationId",
                        UUID.randomUUID().toString(), "correlationId", stripeId("evt_")), new StripeFeeRecorded(eventId,
                        orderId, stripeId("txn_"), Math.round(total * 0.029) + 30, "usd")));
                confirmedOrder = orderId.toString();
            }
        }
        String expiry = UUID.randomUUID().toString();
        events.add(row(eventId, sequence++, Map.of("userId", "system", "causationId", expiry, "correlationId", expiry),
                new HoldsExpiryScheduled(eventId, null)));
        return new History(events, orders, new Sale(eventId.toString(), general.toString(), vip.toString(), confirmedOrder));
    }

    private Row row(EventId eventId, long sequence, Map<String, String> metaData, Object payload) {
        return row(AGGREGATE_TYPE, eventId.toString(), sequence, metaData, payload);
    }

    private Row row(String aggregateType, String aggregateId, long sequence, Map<String, String> metaData, Object payload) {
        SerializedObject<byte[]> serializedPayload = serializer.serialize(payload, byte[].class);
        Instant at = clock;
        clock = clock.plusMillis(1);
        return new Row(aggregateType, aggregateId, sequence, UUID.randomUUID().toString(),
                serializer.serialize(MetaData.from(metaData), byte[].class).getData(), serializedPayload.getData(),
                serializedPayload.getType().getRevision(), serializedPayload.getType().getName(),
                DateTimeUtils.formatInstant(at));
    }

    private static void bind(PreparedStatement insert, Row row) throws SQLException {
        insert.setString(1, row.aggregateId());
        insert.setLong(2, row.sequence());
        insert.setString(3, row.aggregateType());
        insert.setString(4, row.eventIdentifier());
        insert.setBytes(5, row.metaData());
        insert.setBytes(6, row.payload());
        insert.setString(7, row.payloadRevision());
        insert.setString(8, row.payloadType());
        insert.setString(9, row.timestamp());
    }

    private static void bind(PreparedStatement insert, DirectoryRow order) throws SQLException {
        insert.setObject(1, order.orderId());
        insert.setObject(2, order.eventId());
        insert.setString(3, order.userId());
        insert.setString(4, order.reservation());
        insert.setTimestamp(5, Timestamp.from(order.createdAt()));
        insert.setString(6, order.paymentIntentId());
    }

    private static void compareShape(String path, JsonNode service, JsonNode synthetic, List<String> differences) {
        if (service.getNodeType() != synthetic.getNodeType()) {
            differences.add(path + " is " + service.getNodeType() + " in the service's rows, " + synthetic.getNodeType() + " here");
        } else if (service.isObject()) {
            List<String> serviceFields = fieldNames(service);
            if (!serviceFields.equals(fieldNames(synthetic))) {
                differences.add(path + " has fields " + serviceFields + " in the service's rows, " + fieldNames(synthetic) + " here");
                return;
            }
            serviceFields.forEach(field -> compareShape(path + "." + field, service.get(field), synthetic.get(field), differences));
        } else if (service.isArray() && !service.isEmpty() && !synthetic.isEmpty()) {
            compareShape(path + "[0]", service.get(0), synthetic.get(0), differences);
        } else if (service.isTextual() && !kind(service.asText()).equals(kind(synthetic.asText()))) {
            differences.add(path + " is " + kind(service.asText()) + " in the service's rows, " + kind(synthetic.asText()) + " here");
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String kind(String text) {
        if (UUID_TEXT.matcher(text).matches()) {
            return "a UUID";
        }
        try {
            Instant.parse(text);
            return "an instant";
        } catch (RuntimeException notAnInstant) {
            return "text";
        }
    }

    private static String digitsMasked(String text) {
        return text.replaceAll("[0-9]", "d");
    }

    private String ticketCode() {
        return randomText(TICKET_CODE_ALPHABET, 12);
    }

    private String stripeId(String prefix) {
        return prefix + randomText(STRIPE_ID_ALPHABET, 24);
    }

    private String randomText(char[] alphabet, int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(text);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
