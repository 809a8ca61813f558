package farm.render.coordinator.verdicts;

import farm.render.coordinator.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictConsumerOutageTest {
    @Test
    void anUnreachableStoreIsAnOutageToWaitOut() {
        assertThat(VerdictConsumer.isOutage(new StorageException("cannot read jobs/x", new ConnectException("refused")))).isTrue();
    }

    @Test
    void aVerdictTheHandlerCannotUseIsNotAnOutage() {
        assertThat(VerdictConsumer.isOutage(new IllegalStateException("tile row missing"))).isFalse();
    }
}
