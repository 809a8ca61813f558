package farm.render.coordinator;

import farm.render.coordinator.assembly.FrameCompletion;
import farm.render.coordinator.dispatch.KafkaSetup;
import farm.render.coordinator.peers.PeerResults;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.coordinator.verdicts.VerdictConsumer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** At start: the bucket, the topics and the share-group limits exist, then verdicts flow and ready frames are assembled. */
@ApplicationScoped
public class CoordinatorLifecycle {
    private static final Logger LOG = Logger.getLogger(CoordinatorLifecycle.class);

    private final ObjectStorage storage;
    private final KafkaSetup kafka;
    private final VerdictConsumer verdicts;
    private final FrameCompletion frames;
    private final PeerResults peers;

    public CoordinatorLifecycle(ObjectStorage storage, KafkaSetup kafka, VerdictConsumer verdicts, FrameCompletion frames,
                                PeerResults peers) {
        this.peers = peers;
        this.storage = storage;
        this.kafka = kafka;
        this.verdicts = verdicts;
        this.frames = frames;
    }

    void onStart(@Observes StartupEvent event) {
        if (storage.ensureBucket()) {
            LOG.infof("created bucket %s", storage.bucket());
        }
        kafka.ensure();
        verdicts.start();
        frames.start();
        peers.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        peers.stop();
        verdicts.stop();
        frames.stop();
    }
}
