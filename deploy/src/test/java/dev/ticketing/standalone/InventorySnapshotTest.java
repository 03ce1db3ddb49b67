package dev.ticketing.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ticketing.platform.testing.ApiClient;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A busy event's inventory is snapshotted (every 100 events here) and decides exactly the same
 * when it is loaded from the snapshot plus the events after it (the in-memory copy is dropped
 * first, as on a node that never had it).
 */
@TestPropertySource(properties = "ticketing.inventory.snapshot-every=100")
class InventorySnapshotTest extends StandaloneOnPostgres {

    @Autowired
    @Qualifier("tierInventoryCache")
    Cache inventories;

    @Test
    void inventoryLoadedFromItsSnapshotKeepsEveryCountAndHold() {
        int holds = 110;
        JsonNode event = createEvent(null, false, "General", 1000, holds + 2);
        String eventId = event.path("eventId").asText();
        String general = tierId(event, 0);
        List<String> buyers = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < holds; i++) {
            String buyer = buyer();
            ApiClient.Response reserved = reserve(buyer, eventId, general, 1);
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            buyers.add(buyer);
            orders.add(reserved.body().path("orderId").asText());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM snapshotevententry WHERE aggregateidentifier = ?", Integer.class, eventId) > 0);

        inventories.removeAll();
        // loaded from the snapshot: the held count is exact ...
        ApiClient.Response tooMany = reserve(buyer(), eventId, general, 3);
        assertThat(tooMany.code()).isEqualTo("TIER_SOLD_OUT");
        assertThat(tooMany.body().path("available").asInt()).isEqualTo(2);
        // ... a hold from before the snapshot is still there to cancel, and one buyer one pending order
        assertThat(reserve(buyers.get(0), eventId, general, 1).code()).isEqualTo("PENDING_ORDER_EXISTS");
        assertThat(api.post("/api/v1/orders/" + orders.get(0) + "/cancel", buyers.get(0), Map.of()).status())
                .isEqualTo(200);
        assertThat(reserve(buyer(), eventId, general, 3).status()).isEqualTo(201);
        assertThat(awaitAvailability(eventId, holds + 2, 0).path("available").asInt()).isZero();
    }
}
