package farm.render.core.ledger;

import farm.render.core.digest.Digests;
import farm.render.core.identity.CanonicalBytes;
import farm.render.core.identity.Ed25519;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The ledger's hash chain, in one place for the coordinator that writes it and anyone who checks an
 * export: each entry's canonical bytes include the previous entry's hash; its hash is the SHA-256 of
 * those bytes; the coordinator signs the same bytes.
 */
public final class LedgerChain {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private LedgerChain() {
    }

    public static byte[] canonicalBytes(long id, String kind, String jobId, String memo, List<LedgerPosting> postings, String prevHash) {
        CanonicalBytes b = CanonicalBytes.of("render-farm/ledger-entry/v1")
                .int64(id).text(kind).text(jobId).text(memo).int32(postings.size());
        for (LedgerPosting p : postings) {
            b.text(p.account()).int64(p.amount());
        }
        return b.text(prevHash).bytes();
    }

    /** Completes an entry: its hash and the coordinator's signature over its canonical bytes. */
    public static LedgerEntry seal(long id, String kind, String jobId, String memo, List<LedgerPosting> postings,
                                   String prevHash, PrivateKey coordinatorKey) {
        byte[] bytes = canonicalBytes(id, kind, jobId, memo, postings, prevHash);
        return new LedgerEntry(id, kind, jobId, memo, postings, prevHash, Digests.sha256Hex(bytes), Ed25519.sign(coordinatorKey, bytes));
    }

    /**
     * Seals entries that follow {@code prevHash}, in the given order: each one's previous hash is the
     * hash of the one before. Hashing is sequential; the signatures, independent of each other, are
     * computed on all cores when there are enough of them.
     *
     * @param drafts entries whose own prevHash, hash and signature are ignored
     */
    public static List<LedgerEntry> sealAll(List<LedgerEntry> drafts, String prevHash, PrivateKey coordinatorKey) {
        byte[][] bytes = new byte[drafts.size()][];
        String[] prevs = new String[drafts.size()];
        String[] hashes = new String[drafts.size()];
        String prev = prevHash;
        for (int i = 0; i < drafts.size(); i++) {
            LedgerEntry d = drafts.get(i);
            bytes[i] = canonicalBytes(d.id(), d.kind(), d.jobId(), d.memo(), d.postings(), prev);
            prevs[i] = prev;
            hashes[i] = Digests.sha256Hex(bytes[i]);
            prev = hashes[i];
        }
        IntStream indices = IntStream.range(0, drafts.size());
        return (drafts.size() >= PARALLEL_SIGNING ? indices.parallel() : indices).mapToObj(i -> {
            LedgerEntry d = drafts.get(i);
            return new LedgerEntry(d.id(), d.kind(), d.jobId(), d.memo(), d.postings(), prevs[i], hashes[i],
                    Ed25519.sign(coordinatorKey, bytes[i]));
        }).toList();
    }

    /** Entries sealed at once from which signing is spread over the cores. */
    private static final int PARALLEL_SIGNING = 8;

    /** Checks entries in order; stops at the first that does not hold. */
    public static ChainCheck verify(PublicKey coordinatorKey, Iterable<LedgerEntry> entries) {
        String prev = GENESIS;
        long index = 0;
        for (LedgerEntry e : entries) {
            String why = problem(coordinatorKey, e, prev);
            if (why != null) {
                return new ChainCheck.Broken(e.id(), index, why);
            }
            prev = e.hash();
            index++;
        }
        return new ChainCheck.Intact(index, prev);
    }

    private static String problem(PublicKey key, LedgerEntry e, String expectedPrev) {
        if (!expectedPrev.equals(e.prevHash())) {
            return "previous hash " + e.prevHash() + " is not the hash of the entry before (" + expectedPrev + ")";
        }
        long sum = 0;
        for (LedgerPosting p : e.postings()) {
            if (p.amount() == 0) {
                return "a posting to " + p.account() + " moves nothing";
            }
            try {
                sum = Math.addExact(sum, p.amount());
            } catch (ArithmeticException overflow) {
                return "postings overflow";
            }
        }
        if (e.postings().isEmpty() || sum != 0) {
            return "postings do not balance (sum " + sum + ")";
        }
        byte[] bytes = canonicalBytes(e.id(), e.kind(), e.jobId(), e.memo(), e.postings(), e.prevHash());
        if (!Digests.sha256Hex(bytes).equals(e.hash())) {
            return "contents do not hash to the recorded hash " + e.hash();
        }
        if (!Ed25519.verify(key, bytes, e.signature())) {
            return "signature does not verify with the coordinator's key";
        }
        return null;
    }
}
