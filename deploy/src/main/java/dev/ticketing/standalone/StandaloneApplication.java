package dev.ticketing.standalone;

import dev.ticketing.command.CommandSideApplication;
import dev.ticketing.query.QuerySideApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Both sides in one JVM, on an embedded database under ./data unless SPRING_DATASOURCE_URL
 * points elsewhere, with dev tokens and a demo event: the one-command start.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@AutoConfigurationPackage(basePackages = "dev.ticketing")   // entities and repositories of both sides
@ComponentScan(basePackages = "dev.ticketing", excludeFilters = @ComponentScan.Filter(
        type = FilterType.ASSIGNABLE_TYPE, classes = {CommandSideApplication.class, QuerySideApplication.class}))
public class StandaloneApplication {

    public static void main(String[] args) {
        SpringApplication.run(StandaloneApplication.class, args);
    }
}
