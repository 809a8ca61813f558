package farm.render.worker.daemon;

import farm.render.core.identity.Ed25519;
import farm.render.core.planning.TileRect;
import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.ProbeAssignment;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.Tier;
import farm.render.core.wire.TileTicket;
import farm.render.core.wire.WireJson;
import farm.render.worker.classes.ProbeRenderer;
import farm.render.worker.render.VulkanRenderer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's side of a probe run, on the real device: a claim that answers probe tiles in place of the ticket makes
 * the worker render them, hand in their digests signed with its key, and acknowledge (ACCEPT) the ticket it let go.
 */
class ProbeAssignmentTest {
    @Test
    void aProbeAnswerIsRenderedReportedSignedAndItsTicketAccepted() throws Exception {
        KeyPair keys = Ed25519.generate();
        WorkerIdentity identity = new WorkerIdentity("probe-worker", keys);
        List<ProbeReport> reports = new ArrayList<>();
        List<Long> declared = new ArrayList<>();
        TileClaimer claimer = new TileClaimer() {
            @Override
            public List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets, long deviceMemoryBytes) {
                declared.add(deviceMemoryBytes);
                return tickets.stream().map(t -> ClaimAnswer.probes(t.taskId(), new ProbeAssignment("nc-0123456789abcdef01234567", 4)))
                        .toList();
            }

            @Override
            public void reportProbes(ProbeReport report) {
                reports.add(report);
            }

            @Override
            public String reportPeerCheck(PeerCheckReport report) {
                throw new AssertionError("no peer check was assigned");
            }

            @Override
            public Optional<PeerCheckAssignment> nextPeerCheck(String workerId) {
                return Optional.empty();
            }
        };
        try (VulkanRenderer renderer = VulkanRenderer.open()) {
            VramBudget budget = VramBudget.of(OptionalLong.empty(), renderer.deviceMemoryBytes());
            TileWorker worker = new TileWorker(new WorkerOptions("127.0.0.1:1", identity.workerId(), List.of(Tier.ECONOMY)), 1, renderer,
                    new TileProducer(renderer, identity), new SceneCache(new PresignedHttp(1 << 20), 1 << 20),
                    budget, List.of(Tier.ECONOMY), Optional.empty(), claimer);
            TileTicket ticket = TileTicket.of("job-1", 1, 0, 1, Tier.ECONOMY, new TileRect(0, 0, 8, 8), "0".repeat(64));
            AcknowledgeType ack = worker.handle(new ConsumerRecord<>(Tier.ECONOMY.topic(), 0, 0L, "job-1", WireJson.encode(ticket)));

            assertThat(ack).isEqualTo(AcknowledgeType.ACCEPT);
            assertThat(declared).as("the claim declares the loop's device memory budget").containsExactly(budget.bytes());
            assertThat(reports).hasSize(1);
            ProbeReport report = reports.get(0);
            assertThat(report.workerId()).isEqualTo(identity.workerId());
            assertThat(report.classId()).isEqualTo("nc-0123456789abcdef01234567");
            assertThat(report.verify(keys.getPublic())).isTrue();
            assertThat(report.digests()).isEqualTo(new ProbeRenderer(renderer, ProbeRenderer.samplesFolder()).digests(4));
        }
    }
}
