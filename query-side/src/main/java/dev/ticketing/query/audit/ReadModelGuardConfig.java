package dev.ticketing.query.audit;

import dev.ticketing.platform.problem.ProblemWriter;
import dev.ticketing.query.availability.AvailabilityProjection;
import dev.ticketing.query.ledger.LedgerProjection;
import dev.ticketing.query.orders.OrderProjection;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;


/** Which reads each projection answers: they are refused while it is rebuilt (RebuildingReadModelGuard). */
@Configuration
public class ReadModelGuardConfig implements WebMvcConfigurer {

    private final ReadModelStatus status;
    private final ProblemWriter problems;

    public ReadModelGuardConfig(ReadModelStatus status, ProblemWriter problems) {
        this.status = status;
        this.problems = problems;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(guard(LedgerProjection.PROCESSING_GROUP, false))
                .addPathPatterns("/api/v1/ledger/**");
        registry.addInterceptor(guard(AvailabilityProjection.PROCESSING_GROUP, false))
                .addPathPatterns("/api/v1/events", "/api/v1/events/*/availability", "/api/v1/events/*/availability/stream");
        registry.addInterceptor(guard(OrderProjection.PROCESSING_GROUP, false))
                .addPathPatterns("/api/v1/orders/*", "/api/v1/me/orders");
        // a signed-in caller's availability also shows their own reservation, from the orders projection
        registry.addInterceptor(guard(OrderProjection.PROCESSING_GROUP, true))
                .addPathPatterns("/api/v1/events/*/availability", "/api/v1/events/*/availability/stream");
    }

    private RebuildingReadModelGuard guard(String projection, boolean signedInCallersOnly) {
        return new RebuildingReadModelGuard(projection, signedInCallersOnly, status, problems);
    }
}
