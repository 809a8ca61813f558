package farm.render.core.ledger;

import java.util.List;

/**
 * One ledger entry as exported: its postings, the hash of the entry before it, its own hash and the
 * coordinator's Ed25519 signature. {@link LedgerChain} defines the bytes behind the hash and signature.
 */
public record LedgerEntry(long id, String kind, String jobId, String memo, List<LedgerPosting> postings,
                          String prevHash, String hash, String signature) {
    public LedgerEntry {
        postings = postings == null ? List.of() : List.copyOf(postings);
    }
}
