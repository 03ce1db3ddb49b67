package dev.ticketing.platform.persistence;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.GenericSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.util.DeadLetterQueueProviderConfigurerModule;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Axon's event store, token store and saga store on the application's own database, through
 * Axon's JDBC engine. Chosen over the JPA engine (which Axon's starter would pick because JPA is
 * present for the read models) so that payloads are {@code bytea} and the global index is a
 * database identity: no large-object OIDs, no gaps of 50 from Hibernate's sequence allocation.
 * The tables are created by Flyway ({@code db/migration}); their names are Axon's defaults.
 */
@Configuration
public class EventStoreConfig {

    @Bean
    ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    /**
     * A unique violation (SQLState 23505, PostgreSQL's and H2's) is a duplicate key: an event at a
     * sequence another node appended first becomes Axon's ConcurrencyException, which the command
     * side decides again. (Axon's JDBC default only knows SQLIntegrityConstraintViolationException,
     * which PostgreSQL's driver never throws, so a lost race was an opaque EventStoreException.)
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new SQLStateResolver("23505");
    }

    /**
     * Axon's event store as its auto-configuration makes it, but polling the store every
     * {@code ticketing.events.poll-interval} instead of every second when there is nothing new:
     * events another node appends are seen this soon (this node's own wake its processors at once).
     * A watcher on any query node must see a change within a second, projection and push included.
     * Neither this nor the storage engine exists with {@code axon.axonserver.enabled=true}: Axon
     * Server then stores and distributes the events.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  @Value("${ticketing.events.poll-interval:PT0.2S}") Duration pollInterval) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(pollInterval.toMillis())
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider axonConnectionProvider,
                                          TransactionManager transactionManager,
                                          @Value("${ticketing.events.fetch-batch:1000}") int fetchBatch) {
        return JdbcEventStorageEngine.builder()
                // events read per query, by a processor behind the head (a replay) and by an
                // inventory loading its events since the last snapshot (Axon's default: 100)
                .batchSize(fetchBatch)
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(configuration.upcasterChain())
                .snapshotFilter(configuration.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(axonConnectionProvider)
                .transactionManager(transactionManager)
                .build();
    }

    @Bean
    TokenStore tokenStore(ConnectionProvider axonConnectionProvider, Serializer serializer,
                          @Value("${ticketing.processing.claim-timeout:PT10S}") Duration claimTimeout) {
        return JdbcTokenStore.builder()
                .connectionProvider(axonConnectionProvider)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .build();
    }

    /**
     * Dead letters of the projections (those with {@code dlq.enabled}) in the same database, through
     * the JDBC queue: Axon's starter would otherwise pick its JPA queue, as JPA is present.
     */
    @Bean
    DeadLetterQueueProviderConfigurerModule deadLetterQueues(EventProcessorProperties processorProperties,
                                                             ConnectionProvider axonConnectionProvider,
                                                             TransactionManager transactionManager,
                                                             @Qualifier("eventSerializer") Serializer eventSerializer,
                                                             Serializer serializer) {
        return new DeadLetterQueueProviderConfigurerModule(processorProperties, processingGroup -> configuration ->
                JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(processingGroup)
                        .connectionProvider(axonConnectionProvider)
                        .transactionManager(transactionManager)
                        .schema(DeadLetterSchema.defaultSchema())
                        .genericSerializer(serializer)
                        .eventSerializer(eventSerializer)
                        .build());
    }

    @Bean
    SagaStore<Object> sagaStore(ConnectionProvider axonConnectionProvider, Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(axonConnectionProvider)
                .sqlSchema(new GenericSagaSqlSchema())
                .serializer(serializer)
                .build();
    }
}
