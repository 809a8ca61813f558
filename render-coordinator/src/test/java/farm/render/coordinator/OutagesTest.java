package farm.render.coordinator;

import farm.render.coordinator.storage.StorageException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class OutagesTest {
    @Test
    void anUnreachableStoreIsAnOutageToWaitOut() {
        assertThat(Outages.isOutage(new StorageException("cannot read jobs/x", new ConnectException("refused")))).isTrue();
    }

    @Test
    void aRecordTheHandlerCannotUseIsNotAnOutage() {
        assertThat(Outages.isOutage(new IllegalStateException("tile row missing"))).isFalse();
    }
}
