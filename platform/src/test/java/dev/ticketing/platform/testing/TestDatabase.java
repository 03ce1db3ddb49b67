package dev.ticketing.platform.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL the tests run on: {@code TEST_DATABASE_URL} (with {@code TEST_DATABASE_USER},
 * {@code TEST_DATABASE_PASSWORD}), by default CI's local {@code test} database. Every caller gets
 * a schema of its own, so tests never see each other's events; {@code .ci/run} drops old ones.
 */
public final class TestDatabase {

    public static final String SCHEMA_PREFIX = "it_";

    public record Schema(String name, String url, String user, String password) {
    }

    private TestDatabase() {
    }

    public static Schema freshSchema() {
        String base = env("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = env("TEST_DATABASE_USER", "postgres");
        String password = env("TEST_DATABASE_PASSWORD", "");
        String name = SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(base, user, password)) {
            connection.createStatement().execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the test database at " + base
                    + " (set TEST_DATABASE_URL / TEST_DATABASE_USER / TEST_DATABASE_PASSWORD)", e);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new Schema(name, url, user, password);
    }

    /** For a {@code @DynamicPropertySource}: the application under test gets a fresh schema. */
    public static void useFreshSchema(DynamicPropertyRegistry registry) {
        Schema schema = freshSchema();
        registry.add("spring.datasource.url", schema::url);
        registry.add("spring.datasource.username", schema::user);
        registry.add("spring.datasource.password", schema::password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
