package dev.ticketing.standalone;

import dev.ticketing.api.EventId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.CreateEventInventory;
import dev.ticketing.api.inventory.TierSpec;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * On the first start, puts a demo event with two tiers on sale; on every start, prints how to
 * get a token and reserve. Off with {@code ticketing.demo.enabled=false}.
 */
@Component
@ConditionalOnProperty(name = "ticketing.demo.enabled", havingValue = "true", matchIfMissing = true)
public class DemoEvent {

    private static final Logger log = LoggerFactory.getLogger(DemoEvent.class);
    static final EventId EVENT = new EventId(fixed("demo-event"));
    static final TierId GENERAL = new TierId(fixed("demo-tier-general"));
    static final TierId VIP = new TierId(fixed("demo-tier-vip"));

    private final CommandGateway commands;
    private final EventStore eventStore;
    private final int port;

    public DemoEvent(CommandGateway commands, EventStore eventStore, @Value("${local.server.port:${server.port:8080}}") int port) {
        this.commands = commands;
        this.eventStore = eventStore;
        this.port = port;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        if (eventStore.lastSequenceNumberFor(EVENT.toString()).isEmpty()) {
            Instant startsAt = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(new CreateEventInventory(EVENT,
                    "Demo Night", startsAt, "usd", 150, false, 10,
                    List.of(new TierSpec(GENERAL, "General", 2500, 120), new TierSpec(VIP, "VIP", 9000, 40))))
                    .andMetaData(Map.of("userId", "system")));
            log.info("Created the demo event {}", EVENT);
        }
        String base = "http://localhost:" + port;
        System.out.printf("""

                Ticketing is running at %1$s  (API: %1$s/swagger-ui.html)
                In a browser: buy at %1$s/event.html?id=%2$s, or watch it on %1$s/organiser.html
                (sign in with any name; pick "Organiser" for the dashboard).
                Demo event "Demo Night" %2$s, tiers General %3$s and VIP %4$s. With curl:

                  TOKEN=$(curl -s -X POST %1$s/api/v1/dev/tokens -H 'Content-Type: application/json' -d '{"sub":"alice"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
                  curl -s -X POST %1$s/api/v1/events/%2$s/orders -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"selections":[{"tierId":"%3$s","quantity":2},{"tierId":"%4$s","quantity":1}]}'
                  curl -s %1$s/api/v1/events/%2$s/availability

                """, base, EVENT, GENERAL, VIP);
    }

    private static UUID fixed(String name) {
        return UUID.nameUUIDFromBytes(("ticketing:" + name).getBytes(StandardCharsets.UTF_8));
    }
}
