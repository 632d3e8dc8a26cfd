package io.imagehub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's metrics in Prometheus text format ({@code GET /metrics}). Micrometer is the facade the code meters
 * through (the API gateway, the chunk store decorator, HikariCP's tracker); this class owns the Prometheus registry,
 * the JVM and process binders, and the gauges read from the database at each scrape (the job queue is shared by
 * every node, so each node reports the same queue). No label carries an account or image id.
 */
public final class NodeMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new ArrayList<>();
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public NodeMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * {@code imagehub_transferred_bytes_total{kind}}: bytes of completed transfers by kind: {@code import} (downloaded
     * by ImportImage), {@code upload}, {@code sync} (chunks written to the destination store; chunks it already had,
     * and copies between regions on one store, move nothing) and {@code export} (files written to export targets).
     */
    public Counter transferredBytes(String kind) {
        return Counter.builder("imagehub.transferred").baseUnit("bytes")
                .description("Bytes of completed transfers by kind (import, upload, sync, export)")
                .tag("kind", kind).register(registry);
    }

    /**
     * Jobs by kind and state ({@code imagehub_jobs}) and the age of the oldest job waiting per kind
     * ({@code imagehub_jobs_oldest_queued_seconds}), read with one query per scrape.
     */
    public void watchJobQueue(DataSource database, Clock clock) {
        MultiGauge jobs = MultiGauge.builder("imagehub.jobs").description("Jobs in the queue, by kind and state")
                .register(registry);
        MultiGauge oldest = MultiGauge.builder("imagehub.jobs.oldest.queued").baseUnit("seconds")
                .description("Age of the oldest queued job, by kind").register(registry);
        beforeScrape.add(() -> {
            List<MultiGauge.Row<?>> counts = new ArrayList<>();
            List<MultiGauge.Row<?>> ages = new ArrayList<>();
            long now = clock.millis();
            try (Connection c = database.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT kind, state, COUNT(*), MIN(created_at) FROM jobs"
                         + " GROUP BY kind, state")) {
                while (r.next()) {
                    String kind = r.getString(1);
                    String state = r.getString(2);
                    counts.add(MultiGauge.Row.of(Tags.of("kind", kind, "state", state), r.getLong(3)));
                    Timestamp first = r.getTimestamp(4);
                    if ("QUEUED".equals(state) && first != null) {
                        ages.add(MultiGauge.Row.of(Tags.of("kind", kind), (now - first.getTime()) / 1000.0));
                    }
                }
                c.rollback();
            } catch (SQLException e) {
                LOG.warn("metrics: the job queue could not be read: {}", e.getMessage());
                return;
            }
            jobs.register(counts, true);
            oldest.register(ages, true);
        });
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }
}
