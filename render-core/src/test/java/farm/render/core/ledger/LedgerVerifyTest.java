package farm.render.core.ledger;

import farm.render.core.identity.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./farm ledger verify} against the attacks on an export: edited balances, another key, a cut tail. */
class LedgerVerifyTest {
    static final KeyPair LEDGER = Ed25519.generate();
    static final String KEY = Ed25519.encodePublic(LEDGER.getPublic());

    @TempDir
    Path dir;

    /** n entries: a mint to an artist, then escrows and tile payments. */
    static List<LedgerEntry> chain(int n, KeyPair key) {
        List<LedgerEntry> entries = new ArrayList<>();
        String prev = LedgerChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            List<LedgerPosting> postings = i == 1
                    ? List.of(new LedgerPosting("mint", -1_000_000), new LedgerPosting("artist:a", 1_000_000))
                    : List.of(new LedgerPosting("artist:a", -100L * i), new LedgerPosting("escrow:job", 100L * i));
            LedgerEntry e = LedgerChain.seal(i, i == 1 ? "MINT" : "ESCROW", i == 1 ? null : "job", "entry " + i, postings, prev, key.getPrivate());
            entries.add(e);
            prev = e.hash();
        }
        return entries;
    }

    private Path write(String name, String headerKey, List<LedgerEntry> entries, SortedMap<String, Long> balances) throws IOException {
        Path file = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(file)) {
            LedgerExport.writeHeader(w, headerKey);
            for (LedgerEntry e : entries) {
                LedgerExport.writeEntry(w, e);
            }
            if (balances != null) {
                LedgerExport.writeBalances(w, balances);
            }
        }
        return file;
    }

    private Path checkpoint(List<LedgerEntry> sealed, long sequence) throws IOException {
        LedgerEntry last = sealed.get(sealed.size() - 1);
        LedgerSeal seal = LedgerSeal.sign(sequence, List.of(new LedgerSeal.ShardHead(0, sealed.size(), last.id(), last.hash())),
                LedgerChain.GENESIS, 1_700_000_000_000L, LEDGER);
        Path file = dir.resolve("checkpoint-" + sequence + ".json");
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(seal));
        return file;
    }

    record Run(int status, String out, String err) {
    }

    private static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LedgerVerifyMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anIntactExportReachingItsCheckpointVerifies() throws IOException {
        List<LedgerEntry> entries = chain(10, LEDGER);
        Path file = write("ok.jsonl", KEY, entries, LedgerAudit.recompute(entries));
        Run run = verify(file.toString(), "--key", KEY, "--checkpoint", checkpoint(entries.subList(0, 8), 3).toString());
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("OK 10 entries").contains("reaches checkpoint #3 (8 entries");
    }

    @Test
    void anEditedBalanceFails() throws IOException {
        List<LedgerEntry> entries = chain(5, LEDGER);
        SortedMap<String, Long> balances = LedgerAudit.recompute(entries);
        balances.put("artist:a", balances.get("artist:a") + 5_000_000);
        Run run = verify(write("edited.jsonl", KEY, entries, balances).toString(), "--key", KEY);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("BAD 1 balance differs from the postings: artist:a holds 5998600 but its postings sum to 998600");
    }

    @Test
    void anExportWithoutBalancesFails() throws IOException {
        List<LedgerEntry> entries = chain(3, LEDGER);
        Run run = verify(write("nobalances.jsonl", KEY, entries, null).toString(), "--key", KEY);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("carries no balances");
    }

    @Test
    void anExportResignedWithAnotherKeyFailsAgainstThePinnedKey() throws IOException {
        KeyPair forger = Ed25519.generate();
        List<LedgerEntry> forged = chain(5, forger);
        // the forger names its own key in the header, as the old check trusted
        Path file = write("resigned.jsonl", Ed25519.encodePublic(forger.getPublic()), forged, LedgerAudit.recompute(forged));
        Run run = verify(file.toString(), "--key", KEY);
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("BAD the export's header names key " + Ed25519.encodePublic(forger.getPublic()))
                .contains("not the pinned ledger key " + KEY);
        // and one that keeps the real key in its header fails on the first re-signed entry
        Path kept = write("resigned-kept.jsonl", KEY, forged, LedgerAudit.recompute(forged));
        Run second = verify(kept.toString(), "--key", KEY);
        assertThat(second.status()).isEqualTo(1);
        assertThat(second.out()).startsWith("BAD entry 1 (entry 1 of 5): signature does not verify");
    }

    @Test
    void anExportWithItsTailCutFailsAgainstTheCheckpoint() throws IOException {
        List<LedgerEntry> entries = chain(12, LEDGER);
        Path seal = checkpoint(entries, 7);
        List<LedgerEntry> cut = entries.subList(0, 9);
        Path file = write("cut.jsonl", KEY, cut, LedgerAudit.recompute(cut));
        Run run = verify(file.toString(), "--key", KEY, "--checkpoint", seal.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).startsWith("BAD the export holds 9 entries but checkpoint #7").contains("covers 12: its tail was cut");
    }

    @Test
    void aCheckpointSignedByAnotherKeyOrOfAnotherChainFails() throws IOException {
        List<LedgerEntry> entries = chain(4, LEDGER);
        Path file = write("other.jsonl", KEY, entries, LedgerAudit.recompute(entries));
        LedgerSeal foreign = LedgerSeal.sign(1, List.of(new LedgerSeal.ShardHead(0, 4, 4, entries.get(3).hash())),
                LedgerChain.GENESIS, 1L, Ed25519.generate());
        Path foreignFile = dir.resolve("foreign.json");
        Files.writeString(foreignFile, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(foreign));
        assertThat(verify(file.toString(), "--key", KEY, "--checkpoint", foreignFile.toString()).out())
                .startsWith("BAD the checkpoint names key");
        List<LedgerEntry> elsewhere = chain(4, LEDGER); // same shape, other memo bytes: another chain
        Path otherSeal = checkpoint(List.of(elsewhere.get(0), elsewhere.get(1), elsewhere.get(2),
                LedgerChain.seal(4, "MINT", null, "other", List.of(new LedgerPosting("mint", -1), new LedgerPosting("artist:b", 1)),
                        elsewhere.get(2).hash(), LEDGER.getPrivate())), 2);
        Run run = verify(file.toString(), "--key", KEY, "--checkpoint", otherSeal.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("is not the head checkpoint #2 sealed");
    }

    @Test
    void theKeyIsPinnedFromAFileAndNeverTakenFromTheExport() throws IOException {
        List<LedgerEntry> entries = chain(3, LEDGER);
        Path file = write("pinned.jsonl", KEY, entries, LedgerAudit.recompute(entries));
        Path keyFile = dir.resolve("identity.json");
        Files.writeString(keyFile, "{\"algorithm\":\"Ed25519\",\"publicKey\":\"x\",\"ledgerPublicKey\":\"" + KEY + "\"}");
        assertThat(verify(file.toString(), "--key", keyFile.toString()).status()).isZero();
        Run unpinned = verify(file.toString());
        assertThat(unpinned.status()).isEqualTo(2);
        assertThat(unpinned.err()).contains("exactly one of --key or --coordinator");
        assertThat(verify(file.toString(), "--key", "not-a-key").err()).contains("is not an Ed25519 public key");
    }

    @Test
    void aSealsRootCoversItsShardHeads() {
        LedgerSeal seal = LedgerSeal.sign(1, List.of(new LedgerSeal.ShardHead(0, 3, 3, "a".repeat(64))), LedgerChain.GENESIS, 5L, LEDGER);
        assertThat(seal.problem(LEDGER.getPublic())).isNull();
        LedgerSeal moved = new LedgerSeal(seal.sequence(), List.of(new LedgerSeal.ShardHead(0, 2, 2, "b".repeat(64))), seal.root(),
                seal.previous(), seal.sealedAt(), seal.publicKey(), seal.signature());
        assertThat(moved.problem(LEDGER.getPublic())).contains("Merkle root");
        assertThat(LedgerSeal.merkleRoot(List.of(new LedgerSeal.ShardHead(0, 1, 1, "a"), new LedgerSeal.ShardHead(1, 1, 1, "b"),
                new LedgerSeal.ShardHead(2, 1, 1, "c")))).hasSize(64);
    }
}
