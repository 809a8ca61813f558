package farm.render.core.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The export format, JSON lines: a header line {@code {"format":"render-farm-ledger/2",
 * "coordinatorPublicKey":"…"}} (the key that signs ledger entries), then one {@link LedgerEntry} per line
 * in chain order, then a closing line {@code {"balances":{account: micro-tokens, …}}} with every account's
 * balance as the coordinator holds it, which a check recomputes from the postings.
 */
public final class LedgerExport {
    public static final String FORMAT = "render-farm-ledger/2";
    /** The format before exports carried balances; still readable, but it proves no balance. */
    public static final String FORMAT_1 = "render-farm-ledger/1";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public record Header(String format, String coordinatorPublicKey) {
    }

    /** The closing line: balances by account, as the coordinator's database held them at the export. */
    public record Closing(SortedMap<String, Long> balances) {
    }

    /** A parsed export; {@code balances} is null when the file has no closing line. */
    public record Contents(Header header, List<LedgerEntry> entries, SortedMap<String, Long> balances) {
        public Contents(Header header, List<LedgerEntry> entries) {
            this(header, entries, null);
        }
    }

    private LedgerExport() {
    }

    public static void writeHeader(Writer out, String coordinatorPublicKey) throws IOException {
        out.write(JSON.writeValueAsString(new Header(FORMAT, coordinatorPublicKey)));
        out.write('\n');
    }

    public static void writeEntry(Writer out, LedgerEntry entry) throws IOException {
        out.write(JSON.writeValueAsString(entry));
        out.write('\n');
    }

    public static void writeBalances(Writer out, Map<String, Long> balances) throws IOException {
        out.write(JSON.writeValueAsString(new Closing(new TreeMap<>(balances))));
        out.write('\n');
    }

    /** @throws IllegalArgumentException naming the line that is not part of an export */
    public static Contents read(BufferedReader in) throws IOException {
        String first = in.readLine();
        if (first == null) {
            throw new IllegalArgumentException("empty file: not a ledger export");
        }
        Header header;
        try {
            header = JSON.readValue(first, Header.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("line 1 is not a ledger export header");
        }
        if (!(FORMAT.equals(header.format()) || FORMAT_1.equals(header.format())) || header.coordinatorPublicKey() == null) {
            throw new IllegalArgumentException("line 1: expected format " + FORMAT + " with the coordinator's public key");
        }
        List<LedgerEntry> entries = new ArrayList<>();
        SortedMap<String, Long> balances = null;
        int lineNo = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (balances != null) {
                throw new IllegalArgumentException("line " + lineNo + " follows the closing balances line");
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node.has("balances")) {
                    balances = JSON.treeToValue(node, Closing.class).balances();
                    if (balances == null) {
                        throw new IllegalArgumentException("line " + lineNo + ": the balances are not an object");
                    }
                } else {
                    entries.add(JSON.treeToValue(node, LedgerEntry.class));
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not a ledger entry: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new Contents(header, entries, balances);
    }
}
