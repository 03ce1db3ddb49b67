package dev.ticketing.standalone;

import dev.ticketing.platform.testing.TestDatabase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a measured window costs, read at its start and its end while the load runs: the CPU time of
 * one JVM ({@code /proc/PID/stat} utime + stime) and of PostgreSQL (the sum over every
 * {@code postgres} process, with what the postmaster's ended children used: cutime + cstime), in
 * clock ticks ({@code getconf CLK_TCK}); the database's rows inserted and commits
 * ({@code pg_stat_database}) and the WAL written ({@code pg_current_wal_lsn()}).
 * <p>
 * PostgreSQL 15 publishes a busy backend's counts at most once a second ({@code pg_stat_force_next_flush()}
 * reaches only the reader's own): rows and commits are read as late at a window's end as at its
 * start, about right over 30 s, rough over a few. CPU and WAL are exact. All of it counts whatever
 * else uses the machine and the database meanwhile.
 */
final class CostMeter implements AutoCloseable {

    /** Where the counters stood. {@code pgTicks} is -1 when no PostgreSQL process is visible here. */
    record Sample(long jvmTicks, long pgTicks, long rowsInserted, long commits, long walPosition) {
    }

    /** What the window cost per reservation made in it. */
    record Cost(long reservations, double jvmCpuMs, double pgCpuMs, double rows, double commits, double walBytes) {
    }

    private static final double MS_PER_TICK = 1000.0 / clockTicksPerSecond();

    private final Connection connection;

    CostMeter(TestDatabase.Schema database) throws SQLException {
        connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        connection.setAutoCommit(true);   // each read sees the counters as they are now
    }

    /** The counters now, with the CPU time of the JVM {@code pid}. */
    Sample sample(long pid) throws IOException, SQLException {
        long jvmTicks = cpuTicks(Path.of("/proc", String.valueOf(pid), "stat"), false);
        long pgTicks = postgresTicks();
        try (Statement statement = connection.createStatement()) {
            try {
                statement.execute("SELECT pg_stat_force_next_flush()");
            } catch (SQLException beforePostgres15) {
                // the counts are then only as fresh as the last flush
            }
            try (ResultSet row = statement.executeQuery("SELECT tup_inserted, xact_commit, "
                    + "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_database "
                    + "WHERE datname = current_database()")) {
                row.next();
                return new Sample(jvmTicks, pgTicks, row.getLong(1), row.getLong(2), row.getLong(3));
            }
        }
    }

    static Cost per(Sample start, Sample end, long reservations) {
        double per = Math.max(1, reservations);
        return new Cost(reservations, (end.jvmTicks() - start.jvmTicks()) * MS_PER_TICK / per,
                start.pgTicks() < 0 ? Double.NaN : (end.pgTicks() - start.pgTicks()) * MS_PER_TICK / per,
                (end.rowsInserted() - start.rowsInserted()) / per, (end.commits() - start.commits()) / per,
                (end.walPosition() - start.walPosition()) / per);
    }

    /** Every {@code postgres} process's CPU time, and that of the postmaster's ended children. */
    private static long postgresTicks() throws IOException {
        long ticks = 0;
        boolean any = false;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException ended) {
                    continue;
                }
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).equals("postgres")) {
                    ticks += cpuTicks(stat, true);
                    any = true;
                }
            }
        }
        return any ? ticks : -1;
    }

    private static long cpuTicks(Path stat, boolean withEndedChildren) throws IOException {
        return cpuTicks(Files.readString(stat, StandardCharsets.US_ASCII), withEndedChildren);
    }

    /** utime + stime (fields 14 and 15 of proc(5)'s stat), and cutime + cstime (16, 17) if asked. */
    private static long cpuTicks(String stat, boolean withEndedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");   // fields[0] is field 3
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return withEndedChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
    }

    private static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(output) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;   // Linux's USER_HZ almost everywhere
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
