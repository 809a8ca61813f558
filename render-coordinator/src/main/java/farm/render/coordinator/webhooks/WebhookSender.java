package farm.render.coordinator.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.planning.JobQueries;
import farm.render.coordinator.planning.JobStatus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends each finished job's webhook: a sweep makes one delivery row per finished job that names a URL
 * (so a crash, or a job finished on another replica, still gets its webhook), then due deliveries are
 * claimed (a lease, so replicas do not send the same one at once), POSTed signed and recorded. A failed
 * delivery (no answer, or not 2xx) is tried again after {@code firstRetry}, doubling each time, up to
 * {@code maxAttempts}. It all runs on its own threads: the verdict path only wakes it.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int BATCH = 20;

    private final Transactions tx;
    private final JobQueries queries;
    private final JobEvents events;
    private final ObjectMapper json;
    private final FarmConfig.Webhooks config;
    private final boolean allowPrivateAddresses;
    private final SSLContext tls;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-sweep"));
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> daemon(r, "webhook-send"));
    private Runnable unlisten = () -> { };

    public WebhookSender(Transactions tx, JobQueries queries, JobEvents events, ObjectMapper json, FarmConfig config) {
        this.tx = tx;
        this.queries = queries;
        this.events = events;
        this.json = json;
        this.config = config.webhooks();
        this.allowPrivateAddresses = config.webhooks().allowPrivateAddresses();
        try {
            this.tls = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void onStart(@Observes StartupEvent event) {
        unlisten = events.listenAll((job, change) -> {
            if (change == JobEvents.Change.JOB_FINISHED) {
                wake();
            }
        });
        loop.scheduleWithFixedDelay(this::wake, 0, Math.max(50, config.poll().toMillis()), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        unlisten.run();
        loop.shutdownNow();
        senders.shutdownNow();
    }

    void wake() {
        if (wanted.compareAndSet(false, true)) {
            try {
                loop.execute(this::run);
            } catch (RejectedExecutionException e) {
                wanted.set(false);
            }
        }
    }

    private void run() {
        wanted.set(false);
        try {
            sweep();
            for (Delivery d : claimDue()) {
                senders.execute(() -> send(d));
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook sweep failed (the next one tries again): %s", e.getMessage());
        }
    }

    /** Makes the delivery row of every finished job that names a webhook and has none yet. */
    private void sweep() {
        List<String> jobs = tx.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT j.id FROM jobs j WHERE j.webhook_url IS NOT NULL AND j.state <> 'RUNNING'
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.job_id = j.id)
                    ORDER BY j.finished_at LIMIT 100""");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        });
        for (String jobId : jobs) {
            Optional<JobStatus> status = queries.status(jobId);
            if (status.isEmpty() || status.get().webhookUrl() == null) {
                continue;
            }
            String body;
            try {
                body = json.writeValueAsString(WebhookEvent.of(status.get()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a webhook event", e);
            }
            tx.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO webhook_deliveries (job_id, url, event) VALUES (?, ?, ?) ON CONFLICT (job_id) DO NOTHING")) {
                    s.setString(1, jobId);
                    s.setString(2, status.get().webhookUrl());
                    s.setString(3, body);
                    s.executeUpdate();
                }
                return null;
            });
        }
    }

    /** A claimed delivery: what to send where, signed with whose secret, and which attempt this is. */
    record Delivery(String jobId, String url, String event, int attempt, String secret) {
    }

    /** Claims due deliveries by moving their next attempt past this one's time limit, so no other replica sends them meanwhile. */
    private List<Delivery> claimDue() {
        long leaseMs = config.timeout().toMillis() * 3;
        return tx.inTransaction(c -> {
            List<Delivery> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE webhook_deliveries d SET attempts = d.attempts + 1,
                           next_attempt_at = now() + make_interval(secs => ?::double precision / 1000)
                    FROM jobs j LEFT JOIN webhook_secrets w ON w.account = j.account
                    WHERE j.id = d.job_id AND d.job_id IN (
                        SELECT job_id FROM webhook_deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL
                          AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    RETURNING d.job_id, d.url, d.event, d.attempts, w.secret""")) {
                s.setLong(1, leaseMs);
                s.setInt(2, BATCH);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Delivery(r.getString(1), r.getString(2), r.getString(3), r.getInt(4), r.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    private void send(Delivery d) {
        String error;
        try {
            error = attempt(d);
        } catch (RuntimeException e) {
            error = e.toString();
        }
        String failure = error;
        tx.inTransaction(c -> {
            if (failure == null) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE webhook_deliveries SET delivered_at = now(), last_error = NULL WHERE job_id = ?")) {
                    s.setString(1, d.jobId());
                    s.executeUpdate();
                }
            } else if (d.attempt() >= config.maxAttempts()) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE webhook_deliveries SET gave_up_at = now(), last_error = ? WHERE job_id = ?")) {
                    s.setString(1, failure);
                    s.setString(2, d.jobId());
                    s.executeUpdate();
                }
            } else {
                long backoffMs = config.firstRetry().toMillis() << Math.min(20, d.attempt() - 1);
                try (PreparedStatement s = c.prepareStatement("""
                        UPDATE webhook_deliveries SET last_error = ?,
                               next_attempt_at = now() + make_interval(secs => ?::double precision / 1000) WHERE job_id = ?""")) {
                    s.setString(1, failure);
                    s.setLong(2, backoffMs);
                    s.setString(3, d.jobId());
                    s.executeUpdate();
                }
            }
            return null;
        });
        if (failure != null) {
            LOG.infof("webhook of job %s, attempt %d of %d, to %s: %s", d.jobId(), d.attempt(), config.maxAttempts(), d.url(), failure);
        }
    }

    /** POSTs the signed event once; null when the receiver answered 2xx, else why not. */
    private String attempt(Delivery d) {
        if (d.secret() == null) {
            return "the account has no webhook secret";
        }
        byte[] body = d.event().getBytes(StandardCharsets.UTF_8);
        long timestamp = System.currentTimeMillis() / 1000;
        String type;
        try {
            type = json.readTree(body).path("type").asText();
        } catch (IOException e) {
            type = "job";
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "render-farm-coordinator");
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(d.secret(), timestamp, body));
        headers.put(WebhookSignature.EVENT_HEADER, type);
        headers.put(WebhookSignature.DELIVERY_HEADER, d.jobId());
        // checked again before each attempt (the host may resolve elsewhere by now), and sent to the address checked
        return PinnedDelivery.deliver(d.url(), allowPrivateAddresses, HostResolver.SYSTEM, tls, config.timeout(), headers, body);
    }
}
