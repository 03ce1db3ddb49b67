package dev.ticketing.command.config;

import dev.ticketing.command.inventory.GrowingSnapshotTrigger;
import dev.ticketing.command.payment.PaymentSaga;
import dev.ticketing.command.payment.StripeSettings;
import dev.ticketing.command.reservation.OrderDirectory;
import dev.ticketing.command.reservation.ReservationProperties;
import dev.ticketing.platform.persistence.Databases;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotterSpanFactory;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Axon wiring of the command side. */
@Configuration
@EnableConfigurationProperties({ReservationProperties.class, StripeSettings.class})
public class CommandSideConfig {

    /**
     * A big on-sale is tens of thousands of events on one aggregate: a cold load starts from a
     * snapshot instead. Not too often: a snapshot writes the whole state (every live hold), and the
     * inventory stays cached between commands, so snapshots only serve cold loads. Every 10,000
     * events at least (every 2,000, writing them took 40 % of the service's CPU in a hot on-sale),
     * and rarer as the state grows ({@link GrowingSnapshotTrigger}).
     */
    @Bean
    SnapshotTriggerDefinition tierInventorySnapshotTrigger(SpringAggregateSnapshotter snapshotter,
                                                           @Value("${ticketing.inventory.snapshot-every:10000}") int every) {
        return new GrowingSnapshotTrigger(snapshotter, every);
    }

    /**
     * Axon's snapshotter as Axon's auto-configuration makes it, but working on a thread of its own,
     * one snapshot at a time. By default a snapshot was made in the thread that committed the
     * triggering event, after the commit: a batch of buyers waited seconds for a big inventory's
     * snapshot, and two drainers snapshotting at once (each a second copy of the inventory plus its
     * serialised form) ran a 512 MB heap out of memory at ~60,000 live holds.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(org.axonframework.config.Configuration configuration,
                                                    HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager,
                                                    SnapshotterSpanFactory spanFactory) {
        ExecutorService oneAtATime = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "inventory-snapshots");
            thread.setDaemon(true);   // a snapshot cut short by a shutdown is only made again later
            return thread;
        });
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .spanFactory(spanFactory)
                .executor(oneAtATime)
                .build();
    }

    /**
     * The inventories this node works on stay in memory between commands instead of being loaded
     * (snapshot + events) for each one (CaffeineAggregateCache: bounded, soft). A rolled-back unit
     * of work drops its entry; an entry another node has moved on from is dropped when next asked
     * for (its latest sequence in the store is newer), and the inventory is loaded afresh.
     * <p>
     * One writer per inventory across nodes: on PostgreSQL the look-up first takes the event's
     * advisory lock for the rest of the unit of work's transaction, so a second node deciding on the
     * same inventory waits for the first one's commit and then sees its events, instead of losing
     * the append on the store's (aggregate, sequence) key over and over while the first keeps
     * writing (measured: five lost retries in a row, a 500, when the ingress moved a hot event from
     * one node to the other). On one node Axon's own lock already orders the units of work.
     */
    @Bean
    Cache tierInventoryCache(@Value("${ticketing.inventory.cache-size:1000}") long size, DataSource dataSource)
            throws SQLException {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);   // joins the unit of work's transaction
        boolean postgres = Databases.isPostgreSql(dataSource);
        LatestStoredSequence latestStored = new LatestStoredSequence(jdbc);
        return new CaffeineAggregateCache(size, aggregateId -> {
            if (postgres) {
                jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", aggregateId);
            }
            return latestStored.apply(aggregateId);
        });
    }

    /**
     * Every event says what caused it: {@code causationId} is the message that produced it,
     * {@code correlationId} the first message of the chain (a request's command, or the Stripe
     * event id a webhook brings), so an auditor can follow a webhook to the confirmation.
     */
    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider("causationId", "correlationId");
    }

    /**
     * Who caused an event: the user (buyer, organiser, {@code stripe}) travels from the command's
     * metadata; a deadline has no user, so what it causes is {@code system}'s. The Idempotency-Key
     * of a reservation travels too (the order directory records it).
     */
    @Bean
    CorrelationDataProvider commandContextCorrelation() {
        var fromMetadata = new SimpleCorrelationDataProvider("userId", "idempotencyKey", "requestHash");
        return message -> message instanceof DeadlineMessage<?>
                ? Map.of("userId", "system") : fromMetadata.correlationDataFor(message);
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
     * The saga retries a failed Stripe call per order itself (a deadline), so what still fails here
     * is this node's own (the database out of reach): the saga's processor stops at the event and
     * retries it with back-off rather than skip it. Every Stripe call is idempotent.
     */
    @Autowired
    void paymentSagaRetriesFailedStripeCalls(EventProcessingConfigurer processing) {
        processing.registerListenerInvocationErrorHandler(PAYMENT_SAGA_PROCESSOR,
                configuration -> PropagatingErrorHandler.instance());
    }

    static final String PAYMENT_SAGA_PROCESSOR = PaymentSaga.class.getSimpleName() + "Processor";
}
