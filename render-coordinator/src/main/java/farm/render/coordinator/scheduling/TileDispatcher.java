package farm.render.coordinator.scheduling;

import farm.render.coordinator.FarmConfig;
import farm.render.coordinator.Transactions;
import farm.render.coordinator.dispatch.TaskFactory;
import farm.render.coordinator.dispatch.TaskFactory.TileAttempt;
import farm.render.coordinator.dispatch.TaskSink;
import farm.render.coordinator.events.JobEvents;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobStore;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTicket;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dispatch window: publishes a job's tiles a bounded number at a time instead of all at launch, so
 * that pausing a job stops its rendering within the window, a higher priority overtakes its account's queued
 * work, and no account's jobs starve another account's.
 * <p>
 * A pass runs under one advisory lock (one pass at a time across replicas), takes the undispatched tiles
 * of each tier's running, unpaused jobs up to the per-job and per-tier windows, sharing the tier's free places
 * between accounts by weight and by priority inside an account ({@link FairShare}), marks
 * them dispatched and publishes their tickets before the transaction commits. A tile is marked once, so its
 * first attempt is published once; if the commit fails after publishing, the tile is published again and
 * its second copy's verdict finds the tile already verified (paid once either way). Passes run when a job
 * is submitted, controlled or changed by a verdict, and every {@code windowPoll} (which also resumes
 * dispatch after a restart: the state is all in the database).
 */
@ApplicationScoped
public class TileDispatcher {
    private static final Logger LOG = Logger.getLogger(TileDispatcher.class);
    /** Tasks one pass publishes at most; a pass that hits it is followed by another at once. */
    static final int MAX_PER_PASS = 2000;

    private final Transactions tx;
    private final TaskFactory tasks;
    private final TaskSink sink;
    private final JobEvents events;
    private final FarmConfig.Dispatch config;
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tile-dispatcher");
        t.setDaemon(true);
        return t;
    });
    private Runnable unlisten = () -> { };

    public TileDispatcher(Transactions tx, TaskFactory tasks, TaskSink sink, JobEvents events, FarmConfig config) {
        this.tx = tx;
        this.tasks = tasks;
        this.sink = sink;
        this.events = events;
        this.config = config.dispatch();
    }

    void onStart(@Observes StartupEvent event) {
        // every change can free a slot or add work; the listener only asks for a pass
        unlisten = events.listenAll((job, change) -> wake());
        long poll = Math.max(50, config.windowPoll().toMillis());
        thread.scheduleWithFixedDelay(this::wake, 0, poll, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        unlisten.run();
        thread.shutdownNow();
    }

    /** Asks for a pass soon; passes asked for while one waits merge into it. */
    public void wake() {
        if (wanted.compareAndSet(false, true)) {
            try {
                thread.execute(this::run);
            } catch (RejectedExecutionException e) {
                wanted.set(false); // shutting down
            }
        }
    }

    private void run() {
        wanted.set(false);
        try {
            int published;
            do {
                published = pass();
            } while (published >= MAX_PER_PASS);
        } catch (RuntimeException e) {
            LOG.warnf("dispatch pass failed (the next pass tries again): %s", e.getMessage());
        }
    }

    /** One pass over every tier; returns how many tasks it published. */
    int pass() {
        return tx.inTransaction(c -> {
            DispatchStore.lock(c);
            List<TileTicket> out = new ArrayList<>();
            for (Tier tier : Tier.values()) {
                fill(c, tier, out);
            }
            if (!out.isEmpty()) {
                sink.publish(out); // acknowledged before commit, as at submission
            }
            return out.size();
        });
    }

    private void fill(Connection c, Tier tier, List<TileTicket> out) throws SQLException {
        Map<String, Integer> outByAccount = DispatchStore.outByAccount(c, tier);
        int onTier = outByAccount.values().stream().mapToInt(Integer::intValue).sum();
        int free = Math.min(limit(config.windowPerTier()) - onTier, MAX_PER_PASS - out.size());
        if (free <= 0) {
            return;
        }
        int perJob = limit(config.windowPerJob());
        List<FairShare.Candidate> candidates = new ArrayList<>();
        for (DispatchStore.Waiting w : DispatchStore.waiting(c, tier, Math.min(perJob, free))) {
            candidates.add(new FairShare.Candidate(w.jobId(), w.account(), w.weight(), Math.min(perJob - w.out(), w.ready())));
        }
        List<String> places = FairShare.places(candidates, outByAccount, free);
        Map<String, Integer> perJobTake = new LinkedHashMap<>();
        places.forEach(job -> perJobTake.merge(job, 1, Integer::sum));
        Map<String, Deque<TileTicket>> taken = new HashMap<>();
        for (Map.Entry<String, Integer> e : perJobTake.entrySet()) {
            Job job = JobStore.find(c, e.getKey(), false).orElseThrow();
            taken.put(e.getKey(), new ArrayDeque<>(tasks.tickets(job, DispatchStore.take(c, e.getKey(), e.getValue()))));
        }
        // published in the order the places were handed out, so the accounts' tiles interleave on the topic too
        for (String job : places) {
            TileTicket t = taken.get(job).poll();
            if (t != null) {
                out.add(t);
            }
        }
    }

    private static int limit(int window) {
        return window <= 0 ? Integer.MAX_VALUE / 2 : window;
    }
}
