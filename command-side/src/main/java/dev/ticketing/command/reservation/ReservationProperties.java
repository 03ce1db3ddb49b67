package dev.ticketing.command.reservation;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** {@code ticketing.reservation.timeout}: how long an unpaid hold lasts (ISO-8601, default 15 minutes). */
@ConfigurationProperties("ticketing.reservation")
public record ReservationProperties(Duration timeout) {

    public ReservationProperties {
        timeout = timeout == null ? Duration.ofMinutes(15) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ticketing.reservation.timeout must be positive");
        }
    }
}
