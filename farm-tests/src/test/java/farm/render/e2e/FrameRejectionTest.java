package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.identity.Ed25519;
import farm.render.core.image.Exr;
import farm.render.core.image.TileImage;
import farm.render.core.ledger.ChainCheck;
import farm.render.core.ledger.LedgerChain;
import farm.render.core.ledger.LedgerEntry;
import farm.render.core.ledger.LedgerExport;
import farm.render.core.ledger.LedgerPosting;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.services.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An artist rejects a finished frame on the real local stack: it is rendered again (on the other worker
 * where it can), verified, paid once per tile per generation from a top-up of the escrow, and can then be
 * approved and downloaded in full as PNG and EXR.
 */
@ExtendWith(SharedFarm.class)
class FrameRejectionTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(6);

    private static JsonNode awaitCompleted(FarmClient client, String jobId) {
        return await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> client.job(jobId), s -> s.path("state").asText().equals("COMPLETED"));
    }

    @Test
    void aRejectedFrameIsRenderedAgainPaidOncePerGenerationAndThenApprovedAndDownloaded() throws Exception {
        String token = FarmClient.signUp(SharedFarm.url(), "picky-" + UUID.randomUUID().toString().substring(0, 8), "picky password 1");
        FarmClient client = new FarmClient(SharedFarm.url(), token);
        String digest = client.uploadScene(SharedFarm.layout().sample("cornell-box/cornell-box.gltf")).path("digest").asText();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("sceneDigest", digest);
        request.put("width", 32);
        request.put("height", 32);
        request.put("spp", 2);
        request.put("maxBounces", 2);
        request.put("tileSize", 16);
        request.put("tier", "standard");
        String artist = client.me().path("ledgerAccount").asText();
        long balanceBefore = client.balance(artist);
        JsonNode created = client.createJob(request);
        String jobId = created.path("id").asText();
        long quote = created.path("quote").asLong();
        awaitCompleted(client, jobId);

        // the full frame waits for approval; the watermarked preview does not
        for (String format : List.of("png", "exr")) {
            assertThatThrownBy(() -> client.frame(jobId, 0, format)).isInstanceOfSatisfying(FarmClient.FarmApiException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.problem().path("type").asText()).endsWith("/frame-not-approved");
                assertThat(e.problem().path("detail").asText()).contains("approve");
            });
        }
        Set<String> firstWorkers = new HashSet<>();
        client.payments(jobId).forEach(p -> firstWorkers.add(p.path("workerId").asText()));

        ServiceProcess another = SharedFarm.stack().startWorker(); // somewhere else to render the frame
        JsonNode rejection = client.reject(jobId, 0, "fireflies on the back wall");
        assertThat(rejection.path("generation").asInt()).isEqualTo(1);
        assertThat(rejection.path("reason").asText()).isEqualTo("fireflies on the back wall");
        assertThat(rejection.path("topUp").asLong()).isPositive();
        JsonNode done;
        try {
            done = awaitCompleted(client, jobId);
        } finally {
            another.close();
        }

        // four tiles, each paid once in each generation; the second generation went to the new worker where it could
        JsonNode payments = client.payments(jobId);
        Set<String> paidOnce = new HashSet<>();
        Set<String> secondWorkers = new HashSet<>();
        for (JsonNode p : payments) {
            assertThat(paidOnce.add(p.path("tile").asInt() + "/" + p.path("generation").asInt())).as("paid twice: %s", p).isTrue();
            assertThat(p.path("amount").asLong()).isPositive();
            if (p.path("generation").asInt() == 2) {
                secondWorkers.add(p.path("workerId").asText());
            }
        }
        assertThat(paidOnce).hasSize(8);
        // "Elsewhere where it can": the new worker renders some of the re-render when the share group hands it a
        // partition holding those tickets in time; otherwise the rejected version's worker's first claims were refused
        // (the coordinator keeps it away a few times, then lets it render when no other worker took the tile).
        String logs = SharedFarm.stack().workers().stream().map(w -> w.name() + ":\n" + w.tail(200)).toList().toString();
        boolean renderedElsewhere = secondWorkers.contains(another.name());
        boolean leftToOthers = logs.contains(farm.render.core.wire.ClaimAnswer.AVOIDED);
        assertThat(renderedElsewhere || leftToOthers).as("workers of the re-render %s (the rejected version's: %s); worker logs:%n%s",
                secondWorkers, firstWorkers, logs).isTrue();
        assertThat(rejection.path("workers")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(firstWorkers);

        // the re-render was paid from the top-up; escrow settles to zero and the artist paid for both renders
        JsonNode ledger = done.path("ledger");
        long escrowed = ledger.path("escrowed").asLong();
        long paid = ledger.path("paid").asLong();
        long fees = ledger.path("fees").asLong();
        assertThat(escrowed).isEqualTo(quote + rejection.path("topUp").asLong());
        assertThat(ledger.path("held").asLong()).isZero();
        assertThat(escrowed - paid - fees).isEqualTo(ledger.path("refunded").asLong());
        assertThat(paid + fees).isEqualTo(2 * rejection.path("topUp").asLong());
        assertThat(client.balance(artist)).as("the artist paid for both renders and nothing more").isEqualTo(balanceBefore - paid - fees);
        assertLedgerBalancedAndIntact();

        client.approve(jobId, 0);
        byte[] png = client.frame(jobId, 0, "png");
        byte[] exr = client.frame(jobId, 0, "exr");
        Exr.Header header = Exr.header(exr);
        assertThat(header.width()).isEqualTo(32);
        assertThat(header.height()).isEqualTo(32);
        assertThat(header.channels()).containsExactly("B", "G", "R");
        assertThat(header.allFloat()).isTrue();
        TileImage linear = Exr.decode(exr);
        BufferedImage srgb = ImageIO.read(new ByteArrayInputStream(png));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = srgb.getRGB(x, y);
                int[] display = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    double v = Math.min(1, Math.max(0, linear.channel(x, y, c)));
                    double curve = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
                    assertThat(Math.abs(curve * 255 - display[c])).as("pixel %d,%d channel %d", x, y, c).isLessThanOrEqualTo(0.5);
                }
            }
        }
        assertThatThrownBy(() -> client.reject(jobId, 0, "changed my mind"))
                .isInstanceOfSatisfying(FarmClient.FarmApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    /** The exported ledger: every entry balances, the chain and signatures hold, and all postings sum to zero. */
    private static void assertLedgerBalancedAndIntact() throws Exception {
        HttpResponse<String> export = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SharedFarm.url()
                        + "/api/v1/ledger/export")).header("Authorization", "Bearer " + SharedFarm.stack().operatorToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        LedgerExport.Contents contents = LedgerExport.read(new BufferedReader(new StringReader(export.body())));
        assertThat(LedgerChain.verify(Ed25519.decodePublic(contents.header().coordinatorPublicKey()), contents.entries()))
                .isInstanceOf(ChainCheck.Intact.class);
        long total = 0;
        for (LedgerEntry e : contents.entries()) {
            assertThat(e.postings().stream().mapToLong(LedgerPosting::amount).sum()).as("entry %d", e.id()).isZero();
            total += e.postings().stream().mapToLong(LedgerPosting::amount).sum();
        }
        assertThat(total).isZero();
    }
}
