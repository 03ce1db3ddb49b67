package dev.ticketing.command.config;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

/**
 * The persistent deadlines (db-scheduler, through Axon's deadline manager). Deadlines run outside
 * the command bus: their unit of work gets the same metadata rules, so what a timeout causes is
 * recorded as {@code system}'s, with its causation and correlation. (Apart from CommandSideConfig,
 * which defines the providers, to keep the wiring acyclic.)
 */
@Configuration
public class DeadlineConfig {

    @Autowired
    void deadlinesRecordWhoCausedTheirEvents(DeadlineManager deadlines, List<CorrelationDataProvider> providers) {
        deadlines.registerHandlerInterceptor(new CorrelationDataInterceptor<>(providers));
    }

    /**
     * Axon's deadline task, retried half a second after a failure (then less and less often)
     * instead of db-scheduler's default of five minutes. With several command nodes a hold's
     * deadline fires on any of them, possibly on one whose cached inventory another node has moved
     * on since: the append then loses on the event store's key and the attempt rolls back, dropping
     * the stale copy, so the next attempt decides on the inventory loaded afresh, and the hold
     * expires on time rather than five minutes late. (Replaces Axon's task of the same name;
     * static: the scheduler needs it before this class, whose other method needs the scheduler.)
     */
    @Bean
    @Qualifier("deadlineDetailsTask")
    static Task<DbSchedulerBinaryDeadlineDetails> deadlineDetailsTask(ApplicationContext context) {
        Task<DbSchedulerBinaryDeadlineDetails> axons =
                DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
        return Tasks.oneTime(axons.getName(), DbSchedulerBinaryDeadlineDetails.class)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofMillis(500), 1.5))
                .execute((instance, execution) -> axons.execute(instance, execution));
    }
}
