package farm.render.coordinator.ledger;

import java.util.List;

/** An entry not yet posted: why money moves, for which job, and its balanced postings. */
public record EntryDraft(EntryKind kind, String jobId, String memo, List<Posting> postings) {
    public EntryDraft {
        postings = List.copyOf(postings);
        long sum = 0;
        for (Posting p : postings) {
            sum = Math.addExact(sum, p.amount());
        }
        if (sum != 0 || postings.isEmpty()) {
            throw new IllegalArgumentException("postings must sum to zero, not " + sum);
        }
    }
}
