package farm.render.stack.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for the farm to get somewhere, with a deadline: the harness sees progress only by asking. */
final class Polling {
    private Polling() {
    }

    static void await(BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the farm did not get there within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100); // polling interval of a progress check
        }
    }
}
