package farm.render.stack.bench;

import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The registration phase: simulated worker identities, each with its own Ed25519 key, registered over 4 clients at once. */
final class WorkerRegistration {
    private static final int CLIENTS = 4;

    private WorkerRegistration() {
    }

    static List<SimulatedWorkers.Identity> newIdentities(int count) {
        List<SimulatedWorkers.Identity> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(new SimulatedWorkers.Identity("sim-" + i, Ed25519.generate()));
        }
        return ids;
    }

    /** Registers every identity with the farm's coordinator (POST /api/v1/workers); the seconds it took. */
    static double register(LoadFarm farm, List<SimulatedWorkers.Identity> ids) throws Exception {
        long t0 = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (SimulatedWorkers.Identity id : ids) {
                String body = "{\"workerId\":\"" + id.workerId() + "\",\"publicKey\":\"" + id.publicKey() + "\"}";
                answers.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(farm.url() + "/api/v1/workers"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header("Authorization", ApiTokens.bearer(farm.token()))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> f : answers) {
                int status = f.get();
                if (status / 100 != 2) {
                    throw new IOException("worker registration answered " + status);
                }
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
