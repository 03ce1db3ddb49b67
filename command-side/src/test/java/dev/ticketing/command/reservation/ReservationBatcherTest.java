package dev.ticketing.command.reservation;

import dev.ticketing.api.EventId;
import dev.ticketing.api.OrderId;
import dev.ticketing.api.TierId;
import dev.ticketing.api.inventory.ReserveTickets;
import dev.ticketing.api.inventory.ReserveTicketsBatch;
import dev.ticketing.api.inventory.TicketRequest;
import dev.ticketing.command.inventory.InventoryCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ReservationBatcherTest {

    @Test
    void anErrorWhileDecidingABatchAnswersItsCallersInsteadOfLeavingThemWaiting() {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.subscribe(ReserveTicketsBatch.class.getName(), command -> {
            throw new OutOfMemoryError("Java heap space (as when snapshotting a huge inventory)");
        });
        var batcher = new ReservationBatcher(new InventoryCommands(DefaultCommandGateway.builder().commandBus(bus).build()),
                new SimpleMeterRegistry(), 256, 1);
        EventId eventId = EventId.random();
        var command = new ReserveTickets(eventId, OrderId.random(), "alice",
                List.of(new TicketRequest(TierId.random(), 1)), false, Instant.now(), Duration.ofMinutes(15));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(() -> batcher.reserve(command, Map.of("userId", "alice")))
                        .hasRootCauseInstanceOf(OutOfMemoryError.class));
    }
}
