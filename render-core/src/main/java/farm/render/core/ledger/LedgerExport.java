package farm.render.core.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The export format, JSON lines: a header line {@code {"format":"render-farm-ledger/1",
 * "coordinatorPublicKey":"…"}}, then one {@link LedgerEntry} per line in chain order.
 */
public final class LedgerExport {
    public static final String FORMAT = "render-farm-ledger/1";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public record Header(String format, String coordinatorPublicKey) {
    }

    /** A parsed export. */
    public record Contents(Header header, List<LedgerEntry> entries) {
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
        if (!FORMAT.equals(header.format()) || header.coordinatorPublicKey() == null) {
            throw new IllegalArgumentException("line 1: expected format " + FORMAT + " with the coordinator's public key");
        }
        List<LedgerEntry> entries = new ArrayList<>();
        int lineNo = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(JSON.readValue(line, LedgerEntry.class));
            } catch (IOException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not a ledger entry: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new Contents(header, entries);
    }
}
