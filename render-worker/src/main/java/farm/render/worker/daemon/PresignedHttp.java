package farm.render.worker.daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads and writes single objects through presigned URLs: the only storage access an untrusted
 * worker has. Non-2xx answers become {@link IOException}s naming the status.
 */
public final class PresignedHttp {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final long maxDownloadBytes;

    public PresignedHttp(long maxDownloadBytes) {
        this.maxDownloadBytes = maxDownloadBytes;
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
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(request.method() + " " + request.uri().getPath() + " answered " + r.statusCode());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
