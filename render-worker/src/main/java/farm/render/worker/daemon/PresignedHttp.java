package farm.render.worker.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads and writes single objects through presigned URLs: the only storage access an untrusted
 * worker has. An unreachable store or a 5xx answer is retried with backoff for up to
 * {@code outageBudget} (the outage is logged once, and its end once); a 4xx answer is final and
 * becomes an {@link IOException} naming the status.
 */
public final class PresignedHttp {
    private static final Logger LOG = LoggerFactory.getLogger(PresignedHttp.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final long maxDownloadBytes;
    private final Duration outageBudget;
    private volatile boolean inOutage;

    public PresignedHttp(long maxDownloadBytes) {
        this(maxDownloadBytes, Duration.ofMinutes(3));
    }

    public PresignedHttp(long maxDownloadBytes, Duration outageBudget) {
        this.maxDownloadBytes = maxDownloadBytes;
        this.outageBudget = outageBudget;
    }

    public byte[] get(String url) throws IOException {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build());
        if (r.body().length > maxDownloadBytes) {
            throw new IOException("object larger than " + maxDownloadBytes + " bytes");
        }
        return r.body();
    }

    public void put(String url, byte[] body) throws IOException {
        send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        Instant deadline = Instant.now().plus(outageBudget);
        long backoffMs = 250;
        while (true) {
            String failure;
            try {
                HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    if (inOutage) {
                        inOutage = false;
                        LOG.info("object storage is reachable again");
                    }
                    return r;
                }
                if (r.statusCode() / 100 != 5) {
                    throw new RefusedException(request.method() + " " + request.uri().getPath() + " answered " + r.statusCode());
                }
                failure = "answered " + r.statusCode();
            } catch (RefusedException e) {
                throw e;
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (Instant.now().plusMillis(backoffMs).isAfter(deadline)) {
                throw new IOException(request.method() + " " + request.uri().getPath() + " failed for "
                        + outageBudget.toSeconds() + " s: " + failure);
            }
            if (!inOutage) {
                inOutage = true;
                LOG.warn("object storage unreachable ({}); retrying with backoff for up to {} s", failure, outageBudget.toSeconds());
            }
            try {
                Thread.sleep(backoffMs); // backoff between retries of an unreachable service
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            backoffMs = Math.min(backoffMs * 2, 8_000);
        }
    }

    /** The store answered and said no (4xx): retrying cannot help. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }
}
