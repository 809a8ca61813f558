package farm.render.core.ledger;

import farm.render.core.identity.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerChainTest {
    static final KeyPair KEY = Ed25519.generate();

    static List<LedgerEntry> chain(int n) {
        List<LedgerEntry> entries = new ArrayList<>();
        String prev = LedgerChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            LedgerEntry e = LedgerChain.seal(i, "TILE_PAYMENT", "job", "tile " + i,
                    List.of(new LedgerPosting("escrow:job", -100L * i), new LedgerPosting("worker:w", 100L * i)), prev, KEY.getPrivate());
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    @Test
    void anIntactChainVerifies() {
        assertThat(LedgerChain.verify(KEY.getPublic(), chain(5))).isInstanceOf(ChainCheck.Intact.class);
    }

    @Test
    void aForeignSignatureIsReported() {
        ChainCheck check = LedgerChain.verify(Ed25519.generate().getPublic(), chain(3));
        assertThat(check).isEqualTo(new ChainCheck.Broken(1, 0, "signature does not verify with the coordinator's key"));
    }

    @Test
    void aTamperedExportIsReportedAtTheChangedEntry(@TempDir Path dir) throws Exception {
        List<LedgerEntry> entries = chain(6);
        LedgerEntry e = entries.get(3);
        entries.set(3, new LedgerEntry(e.id(), e.kind(), e.jobId(), e.memo(),
                List.of(new LedgerPosting("escrow:job", -1), new LedgerPosting("worker:w", 1)), e.prevHash(), e.hash(), e.signature()));
        Path file = dir.resolve("ledger.jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            LedgerExport.writeHeader(w, Ed25519.encodePublic(KEY.getPublic()));
            for (LedgerEntry entry : entries) {
                LedgerExport.writeEntry(w, entry);
            }
            LedgerExport.writeBalances(w, LedgerAudit.recompute(entries));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = LedgerVerifyMain.run(new String[]{file.toString(), "--key", Ed25519.encodePublic(KEY.getPublic())},
                java.util.Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BAD entry 4 (entry 4 of 6)").contains("hash");
    }

    @Test
    void anIntactExportFileIsOk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            LedgerExport.writeHeader(w, Ed25519.encodePublic(KEY.getPublic()));
            for (LedgerEntry entry : chain(3)) {
                LedgerExport.writeEntry(w, entry);
            }
            LedgerExport.writeBalances(w, LedgerAudit.recompute(chain(3)));
        }
        String key = Ed25519.encodePublic(KEY.getPublic());
        assertThat(LedgerVerifyMain.run(new String[]{file.toString(), "--key", key})).isZero();
        Files.writeString(file, "garbage\n");
        assertThat(LedgerVerifyMain.run(new String[]{file.toString(), "--key", key})).isEqualTo(2);
    }
}
