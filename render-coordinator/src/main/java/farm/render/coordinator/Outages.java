package farm.render.coordinator;

import farm.render.coordinator.dispatch.DispatchException;
import farm.render.coordinator.storage.StorageException;

/** Which failures are an outage of a service the coordinator depends on, to be waited out rather than skipped. */
public final class Outages {
    private Outages() {
    }

    /** Failures of the database, object storage or Kafka, as opposed to a record the coordinator cannot handle. */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.minio.errors.ErrorResponseException) {
                return false; // the store is up and answered no (a missing tile, say): waiting will not change that
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException || t instanceof Transactions.DatabaseException || t instanceof DispatchException
                    || t instanceof java.sql.SQLException || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Waits before the next try of a failing step: 0.4 s doubling up to 10 s. */
    public static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(10_000L, 200L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
