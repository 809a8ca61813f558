package farm.render.core.ledger;

import farm.render.core.identity.Ed25519;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * {@code ./farm ledger verify FILE}: recomputes an exported ledger's hash chain and signatures
 * offline. Prints OK or the first bad entry; exit 0 when intact, 1 when broken, 2 when unreadable.
 */
public final class LedgerVerifyMain {
    private LedgerVerifyMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ledger verify FILE   (a file from GET /api/v1/ledger/export)");
            return 2;
        }
        LedgerExport.Contents export;
        PublicKey key;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            export = LedgerExport.read(in);
            key = Ed25519.decodePublic(export.header().coordinatorPublicKey());
        } catch (IOException e) {
            System.err.println("ledger verify: cannot read " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println("ledger verify: " + args[0] + ": " + e.getMessage());
            return 2;
        }
        ChainCheck check = LedgerChain.verify(key, export.entries());
        if (check instanceof ChainCheck.Broken broken) {
            System.out.println("BAD entry " + broken.entryId() + " (entry " + (broken.index() + 1) + " of "
                    + export.entries().size() + "): " + broken.reason());
            return 1;
        }
        ChainCheck.Intact ok = (ChainCheck.Intact) check;
        System.out.println("OK " + ok.entries() + " entries, head " + ok.head() + ", signed by " + export.header().coordinatorPublicKey());
        return 0;
    }
}
