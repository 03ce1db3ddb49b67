package dev.ticketing.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The write side on its own: decides commands, owns the deadlines. */
@SpringBootApplication(scanBasePackages = {"dev.ticketing.command", "dev.ticketing.platform"})
public class CommandSideApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommandSideApplication.class, args);
    }
}
