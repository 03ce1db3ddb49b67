package dev.ticketing.command.config;

import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Deadlines run outside the command bus: their unit of work gets the same metadata rules, so
 * what a timeout causes is recorded as {@code system}'s, with its causation and correlation.
 * (Apart from CommandSideConfig, which defines the providers, to keep the wiring acyclic.)
 */
@Configuration
public class DeadlineConfig {

    @Autowired
    void deadlinesRecordWhoCausedTheirEvents(DeadlineManager deadlines, List<CorrelationDataProvider> providers) {
        deadlines.registerHandlerInterceptor(new CorrelationDataInterceptor<>(providers));
    }
}
