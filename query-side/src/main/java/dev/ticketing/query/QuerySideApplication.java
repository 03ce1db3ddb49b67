package dev.ticketing.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The read side on its own: projections from the event store, and the reads they answer. */
@SpringBootApplication(scanBasePackages = {"dev.ticketing.query", "dev.ticketing.platform"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
