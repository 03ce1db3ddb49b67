package dev.ticketing.command.config;

import dev.ticketing.command.payment.PaymentSaga;
import dev.ticketing.command.payment.StripeSettings;
import dev.ticketing.command.reservation.OrderDirectory;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon wiring of the command side. */
@Configuration
@EnableConfigurationProperties({ReservationProperties.class, StripeSettings.class})
public class CommandSideConfig {

    /** A big on-sale is tens of thousands of events on one aggregate: load from a snapshot instead. */
    @Bean
    SnapshotTriggerDefinition tierInventorySnapshotTrigger(Snapshotter snapshotter,
                                                           @Value("${ticketing.inventory.snapshot-every:250}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /**
     * Who caused an event, and the Idempotency-Key of a reservation, travel from the command's
     * metadata onto the events it produces.
     */
    @Bean
    CorrelationDataProvider commandContextCorrelation() {
        return new SimpleCorrelationDataProvider("userId", "idempotencyKey", "requestHash");
    }

    /**
     * The order directory is written in the transaction of the events it indexes, and a failure
     * there (a reused Idempotency-Key) fails the command instead of being logged and skipped.
     */
    @Autowired
    void orderDirectoryInTheCommandsTransaction(EventProcessingConfigurer processing) {
        processing.registerSubscribingEventProcessor(OrderDirectory.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(OrderDirectory.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance());
    }

    /**
     * A Stripe call that fails (Stripe or the network down) must not be skipped: the saga's
     * processor stops at the event and retries it with back-off. Every call is idempotent.
     */
    @Autowired
    void paymentSagaRetriesFailedStripeCalls(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler(PAYMENT_SAGA_PROCESSOR,
                configuration -> PropagatingErrorHandler.instance());
    }

    static final String PAYMENT_SAGA_PROCESSOR = PaymentSaga.class.getSimpleName() + "Processor";
}
