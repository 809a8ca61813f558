package farm.render.core.ledger;

import farm.render.core.identity.Ed25519;

import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an exported ledger proves against a pinned ledger key and, when given, a checkpoint: the header
 * names the pinned key, the chain and every signature hold under it, the balances it carries are the
 * sums of its postings, and it reaches the checkpoint (so no tail was cut).
 */
public final class LedgerAudit {
    private LedgerAudit() {
    }

    /** The outcome: {@code ok} with a summary, or the first thing that does not hold. */
    public record Finding(boolean ok, String message) {
        static Finding bad(String message) {
            return new Finding(false, message);
        }
    }

    /** @param checkpoint null when none was given: the export's length is then unproven */
    public static Finding check(LedgerExport.Contents export, PublicKey pinned, LedgerSeal checkpoint) {
        String pinnedText = Ed25519.encodePublic(pinned);
        if (!pinnedText.equals(export.header().coordinatorPublicKey())) {
            return Finding.bad("the export's header names key " + export.header().coordinatorPublicKey()
                    + ", not the pinned ledger key " + pinnedText + ": it was re-signed, or comes from another farm");
        }
        List<LedgerEntry> entries = export.entries();
        ChainCheck chain = LedgerChain.verify(pinned, entries);
        if (chain instanceof ChainCheck.Broken broken) {
            return Finding.bad("entry " + broken.entryId() + " (entry " + (broken.index() + 1) + " of " + entries.size()
                    + "): " + broken.reason());
        }
        ChainCheck.Intact intact = (ChainCheck.Intact) chain;
        String balances = balanceProblem(export);
        if (balances != null) {
            return Finding.bad(balances);
        }
        String summary = intact.entries() + " entries, head " + intact.head() + ", " + export.balances().size()
                + " balances equal to their postings, signed by " + pinnedText;
        if (checkpoint == null) {
            return new Finding(true, summary + "; no checkpoint given, so the export's length is not proven"
                    + " (--checkpoint FILE or --coordinator URL)");
        }
        String seal = checkpointProblem(entries, pinned, checkpoint);
        if (seal != null) {
            return Finding.bad(seal);
        }
        return new Finding(true, summary + "; reaches checkpoint #" + checkpoint.sequence() + " (" + checkpoint.entries()
                + " entries, sealed " + Instant.ofEpochMilli(checkpoint.sealedAt()) + ")");
    }

    /** Every account's postings summed, in account order. */
    public static SortedMap<String, Long> recompute(List<LedgerEntry> entries) {
        SortedMap<String, Long> sums = new TreeMap<>();
        for (LedgerEntry e : entries) {
            for (LedgerPosting p : e.postings()) {
                sums.merge(p.account(), p.amount(), Math::addExact);
            }
        }
        return sums;
    }

    private static String balanceProblem(LedgerExport.Contents export) {
        if (export.balances() == null) {
            return "the export carries no balances (an export of format " + LedgerExport.FORMAT_1
                    + ", or one cut before its closing line), so its balances cannot be checked";
        }
        SortedMap<String, Long> sums = recompute(export.entries());
        List<String> wrong = new ArrayList<>();
        TreeSet<String> accounts = new TreeSet<>(sums.keySet());
        accounts.addAll(export.balances().keySet());
        for (String account : accounts) {
            long held = export.balances().getOrDefault(account, 0L);
            long derived = sums.getOrDefault(account, 0L);
            if (held != derived) {
                wrong.add(account + " holds " + held + " but its postings sum to " + derived);
            }
        }
        if (wrong.isEmpty()) {
            return null;
        }
        return wrong.size() + " balance" + (wrong.size() == 1 ? " differs" : "s differ") + " from the postings: "
                + String.join("; ", wrong.subList(0, Math.min(5, wrong.size()))) + (wrong.size() > 5 ? "; …" : "");
    }

    private static String checkpointProblem(List<LedgerEntry> entries, PublicKey pinned, LedgerSeal seal) {
        String why = seal.problem(pinned);
        if (why != null) {
            return why;
        }
        if (seal.shards().size() != 1) {
            return "checkpoint #" + seal.sequence() + " seals " + seal.shards().size() + " shards; this export is one chain";
        }
        LedgerSeal.ShardHead head = seal.shards().get(0);
        if (head.entries() > entries.size()) {
            return "the export holds " + entries.size() + " entries but checkpoint #" + seal.sequence() + " (sealed "
                    + Instant.ofEpochMilli(seal.sealedAt()) + ") covers " + head.entries()
                    + ": its tail was cut, or it is older than the checkpoint (export again and verify at once)";
        }
        if (head.entries() > 0) {
            LedgerEntry at = entries.get((int) (head.entries() - 1));
            if (at.id() != head.lastEntryId() || !head.head().equals(at.hash())) {
                return "entry " + head.entries() + " of the export (id " + at.id() + ", hash " + at.hash()
                        + ") is not the head checkpoint #" + seal.sequence() + " sealed (id " + head.lastEntryId()
                        + ", hash " + head.head() + "): the export is not the checkpointed ledger";
            }
        }
        return null;
    }
}
