package farm.render.coordinator.intake;

import farm.render.coordinator.FarmConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Receives a request body into a temporary file on the event loop, counting as it goes: no thread waits
 * on a slow sender, memory per upload is the file's small write queue, and the body is cut off the moment
 * it passes the cap, stops for longer than the idle timeout, or arrives slower than the minimum rate.
 */
@ApplicationScoped
public class UploadSpool {
    private static final Logger LOG = Logger.getLogger(UploadSpool.class);
    /** How long a refused body is still read and dropped, so the client sees the answer before the connection closes. */
    static final long LINGER_MS = 2000;
    private static final long CHECK_MS = 1000;

    /** Why a body was not received. */
    public enum Failure { TOO_LARGE, TOO_SLOW, BROKEN }

    /** A body that was cut off; the file is already deleted. */
    public static final class Refused extends RuntimeException {
        private final Failure failure;

        Refused(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final Vertx vertx;
    private final Path dir;
    private final long idleMs;
    private final long minBytesPerSecond;

    public UploadSpool(Vertx vertx, FarmConfig config) {
        this.vertx = vertx;
        this.dir = config.intake().spoolDir().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir")));
        this.idleMs = Math.max(CHECK_MS, config.intake().uploadIdleTimeout().toMillis());
        this.minBytesPerSecond = Math.max(0, config.intake().uploadMinBytesPerSecond());
    }

    /** A new empty file, readable by this user only, for one upload. */
    public Path newFile() {
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, "scene-upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file for the upload in " + dir, e);
        }
    }

    public static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete the spooled upload %s: %s", file, e.getMessage());
        }
    }

    /** Reads the body of {@code request} into {@code file}; the future holds the byte count or a {@link Refused}. */
    public Future<Long> receive(HttpServerRequest request, Path file, long maxBytes) {
        AsyncFile out = vertx.fileSystem().openBlocking(file.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true));
        Receiving receiving = new Receiving(request, out, file, maxBytes);
        receiving.start();
        return receiving.done.future();
    }

    /** Drops whatever body {@code request} still sends and closes its connection if the body has not ended soon. */
    public void discard(HttpServerRequest request) {
        request.exceptionHandler(e -> {
        });
        request.endHandler(v -> {
        });
        request.handler(b -> {
        });
        request.resume();
        vertx.setTimer(LINGER_MS, t -> {
            if (!request.isEnded()) {
                request.connection().close();
            }
        });
    }

    private final class Receiving {
        private final HttpServerRequest request;
        private final AsyncFile out;
        private final Path file;
        private final long maxBytes;
        private final Promise<Long> done = Promise.promise();
        private long received;
        private long lastDataAt;
        private long windowStartAt;
        private long windowStartBytes;
        private boolean backpressure;
        private boolean finished;
        private long timer = -1;

        Receiving(HttpServerRequest request, AsyncFile out, Path file, long maxBytes) {
            this.request = request;
            this.out = out;
            this.file = file;
            this.maxBytes = maxBytes;
        }

        synchronized void start() {
            long now = System.nanoTime();
            lastDataAt = now;
            windowStartAt = now;
            out.exceptionHandler(e -> fail(Failure.BROKEN, "the upload could not be written: " + e.getMessage()));
            request.exceptionHandler(e -> fail(Failure.BROKEN, "the connection broke: " + e.getMessage()));
            request.endHandler(v -> end());
            timer = vertx.setPeriodic(CHECK_MS, id -> check());
            request.handler(this::data);
            request.resume(); // the HTTP layer paused the request until a reader was ready
        }

        private synchronized void data(Buffer buffer) {
            if (finished) {
                return; // a refused body: read and dropped until the connection closes
            }
            received += buffer.length();
            lastDataAt = System.nanoTime();
            if (received > maxBytes) {
                fail(Failure.TOO_LARGE, "scene uploads are limited to " + maxBytes + " bytes");
                return;
            }
            out.write(buffer);
            if (out.writeQueueFull()) {
                backpressure = true;
                request.pause();
                out.drainHandler(v -> resumeAfterDrain());
            }
        }

        private synchronized void resumeAfterDrain() {
            backpressure = false;
            long now = System.nanoTime();
            lastDataAt = now; // time spent waiting on the disk is not the sender's
            windowStartAt = now;
            windowStartBytes = received;
            if (!finished) {
                request.resume();
            }
        }

        private synchronized void check() {
            if (finished || backpressure) {
                return;
            }
            long now = System.nanoTime();
            long idle = (now - lastDataAt) / 1_000_000;
            if (idle >= idleMs) {
                fail(Failure.TOO_SLOW, "the upload sent nothing for " + idle / 1000 + " s; the limit is " + idleMs / 1000 + " s");
                return;
            }
            long window = (now - windowStartAt) / 1_000_000;
            if (window >= idleMs) {
                long bytes = received - windowStartBytes;
                long needed = minBytesPerSecond * window / 1000;
                if (bytes < needed) {
                    fail(Failure.TOO_SLOW, "the upload sent " + bytes + " bytes in " + window / 1000 + " s; uploads must arrive at "
                            + minBytesPerSecond + " bytes a second at least (send large scenes as a resumable upload)");
                    return;
                }
                windowStartAt = now;
                windowStartBytes = received;
            }
        }

        private synchronized void end() {
            if (finished) {
                return;
            }
            finished = true;
            vertx.cancelTimer(timer);
            long length = received;
            out.end().onComplete(ar -> {
                if (ar.succeeded()) {
                    done.tryComplete(length);
                } else {
                    delete(file);
                    done.tryFail(new Refused(Failure.BROKEN, "the upload could not be written: " + ar.cause().getMessage()));
                }
            });
        }

        private synchronized void fail(Failure failure, String message) {
            if (finished) {
                return;
            }
            finished = true;
            vertx.cancelTimer(timer);
            out.close().onComplete(ar -> delete(file));
            if (backpressure) {
                backpressure = false;
                request.resume();
            }
            vertx.setTimer(LINGER_MS, t -> {
                if (!request.isEnded()) {
                    request.connection().close();
                }
            });
            done.tryFail(new Refused(failure, message));
        }
    }
}
