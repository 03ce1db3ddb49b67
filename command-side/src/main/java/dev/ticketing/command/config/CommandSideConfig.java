package dev.ticketing.command.config;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon wiring of the command side. */
@Configuration
@EnableConfigurationProperties(ReservationProperties.class)
public class CommandSideConfig {

    /** A big on-sale is tens of thousands of events on one aggregate: load from a snapshot instead. */
    @Bean
    SnapshotTriggerDefinition tierInventorySnapshotTrigger(Snapshotter snapshotter,
                                                           @Value("${ticketing.inventory.snapshot-every:250}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** Who caused an event travels from the command's metadata onto every event it produces. */
    @Bean
    CorrelationDataProvider userIdCorrelation() {
        return new SimpleCorrelationDataProvider("userId");
    }
}
