package dev.ticketing.platform.persistence;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, a JDBC batch of inserts goes as multi-row inserts (the driver's
 * {@code reWriteBatchedInserts}): one statement for the events a reservation batch appends, for the
 * rows a projection batch or a replay writes, instead of one per row. Set on the pool before it
 * opens its first connection; H2 refuses settings it does not know, so only a PostgreSQL URL gets it.
 */
@Component
class PostgreSqlBatchedInserts implements BeanPostProcessor {

    static final String REWRITE_BATCHED_INSERTS = "reWriteBatchedInserts";

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().startsWith("jdbc:postgresql:")
                && !pool.getDataSourceProperties().containsKey(REWRITE_BATCHED_INSERTS)) {
            pool.addDataSourceProperty(REWRITE_BATCHED_INSERTS, "true");
        }
        return bean;
    }
}
