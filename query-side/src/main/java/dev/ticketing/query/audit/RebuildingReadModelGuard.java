package dev.ticketing.query.audit;

import dev.ticketing.platform.problem.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.io.IOException;

/**
 * Answers the reads of one projection with 503 {@code READ_MODEL_REBUILDING} while it is rebuilt,
 * instead of presenting a half-built read model as the truth. Registered per projection and path
 * in {@link ReadModelGuardConfig}.
 */
final class RebuildingReadModelGuard implements HandlerInterceptor {

    private static final String RETRY_AFTER_SECONDS = "5";

    private final String projection;
    private final boolean signedInCallersOnly;
    private final ReadModelStatus status;
    private final ProblemWriter problems;

    /** @param signedInCallersOnly the read uses the projection only for a caller with a token */
    RebuildingReadModelGuard(String projection, boolean signedInCallersOnly, ReadModelStatus status,
                             ProblemWriter problems) {
        this.projection = projection;
        this.signedInCallersOnly = signedInCallersOnly;
        this.status = status;
        this.problems = problems;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        boolean applies = !signedInCallersOnly || request.getUserPrincipal() != null;
        if (read && applies && status.isRebuilding(projection)) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            problems.write(response, 503, "READ_MODEL_REBUILDING", "The " + projection
                    + " read model is being rebuilt from the event store; try again in a few seconds");
            return false;
        }
        return true;
    }
}
