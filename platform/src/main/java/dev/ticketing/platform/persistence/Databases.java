package dev.ticketing.platform.persistence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** What kind of database the application runs on: PostgreSQL, or the standalone's embedded H2. */
public final class Databases {

    private Databases() {
    }

    /** PostgreSQL-only features (advisory locks, LISTEN/NOTIFY, pg_stat_activity) are used only then. */
    public static boolean isPostgreSql(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        }
    }
}
