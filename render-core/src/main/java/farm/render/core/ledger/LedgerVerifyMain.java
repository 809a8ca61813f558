package farm.render.core.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import farm.render.core.cli.CommandLines;
import farm.render.core.credentials.ApiTokens;
import farm.render.core.identity.Ed25519;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code ./farm ledger verify FILE --key KEY | --coordinator URL [--checkpoint FILE] [--token T]}: checks an
 * exported ledger offline against a pinned ledger key (never the one the file names), recomputes every
 * balance from the postings, and checks that the file reaches the checkpoint given or the coordinator's
 * latest. Prints OK or what does not hold; exit 0 when it holds, 1 when it does not, 2 when it cannot be checked.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "./farm ledger verify FILE --key KEY | --coordinator URL [--checkpoint FILE] [--token T]",
        description = "check an exported ledger (GET /api/v1/ledger/export) against the pinned ledger key: hash chain, signatures,"
                + " balances recomputed from postings, and that it reaches the latest signed checkpoint (--checkpoint FILE or the"
                + " coordinator's), so a cut or re-signed export fails",
        footer = "%nexit codes: 0 OK, 1 BAD, 2 cannot check")
public final class LedgerVerifyMain implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "an export from GET /api/v1/ledger/export")
    private String file;
    @Option(names = "--key", paramLabel = "KEY",
            description = "the ledger's public key: base64, or a file holding it (or /api/v1/identity's JSON)")
    private String key;
    @Option(names = "--coordinator", paramLabel = "URL",
            description = "take the ledger key and the latest checkpoint from this coordinator")
    private String coordinator;
    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a checkpoint (GET /api/v1/ledger/checkpoint) the export must reach")
    private String checkpointFile;
    @Option(names = "--token", paramLabel = "T",
            description = "API token for --coordinator (else $FARM_TOKEN, ~/.config/render-farm/token, .farm/operator.token)")
    private String token;
    @Spec
    private CommandSpec spec;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    /** The command as {@code ./farm ledger verify} runs it: the process's environment and streams. */
    public LedgerVerifyMain() {
        this(System.getenv(), System.out, System.err);
    }

    LedgerVerifyMain(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    /** Thrown for anything that stops the check before it starts: exit 2. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }
    }

    /** Runs {@code ledger verify} with {@code args} (the words after "verify"); the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return CommandLines.execute(new LedgerVerifyMain(env, out, err), out, err, args);
    }

    @Override
    public Integer call() {
        if (file == null || (key == null) == (coordinator == null)) {
            throw CommandLines.mistake(spec, "give the export FILE and exactly one of --key or --coordinator"
                    + " (the key is never taken from the file itself)");
        }
        LedgerExport.Contents export;
        PublicKey pinned;
        LedgerSeal checkpoint = null;
        try {
            try (BufferedReader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                export = LedgerExport.read(in);
            } catch (IOException e) {
                throw new Unusable("cannot read " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new Unusable(file + ": " + e.getMessage());
            }
            if (checkpointFile != null) {
                checkpoint = readCheckpoint(checkpointFile);
            }
            if (key != null) {
                pinned = parseKey(key);
            } else {
                Coordinator c = new Coordinator(coordinator, ApiTokens.resolve(token, env));
                pinned = c.ledgerKey();
                if (checkpoint == null) {
                    checkpoint = c.latestCheckpoint();
                }
            }
        } catch (Unusable e) {
            err.println("ledger verify: " + e.getMessage());
            return 2;
        }
        LedgerAudit.Finding finding = LedgerAudit.check(export, pinned, checkpoint);
        out.println((finding.ok() ? "OK " : "BAD ") + finding.message());
        return finding.ok() ? 0 : 1;
    }

    /** A key as base64, or a file holding one: bare, as {@code public=} in a key file, or as /api/v1/identity's JSON. */
    static PublicKey parseKey(String key) throws Unusable {
        String text = key;
        Path path = Path.of(key.length() > 200 ? "." : key);
        if (key.length() <= 200 && Files.isRegularFile(path)) {
            try {
                text = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new Unusable("cannot read key file " + key + ": " + e.getMessage());
            }
            if (text.startsWith("{")) {
                try {
                    JsonNode node = JSON.readTree(text);
                    text = node.path("ledgerPublicKey").asText("");
                } catch (IOException e) {
                    throw new Unusable("key file " + key + " is not JSON: " + e.getMessage());
                }
            } else if (text.contains("public=")) {
                Properties p = new Properties();
                try {
                    p.load(new StringReader(text));
                } catch (IOException e) {
                    throw new Unusable("cannot read key file " + key + ": " + e.getMessage());
                }
                text = p.getProperty("public", "");
            }
        }
        try {
            return Ed25519.decodePublic(text.strip());
        } catch (IllegalArgumentException e) {
            throw new Unusable("--key " + key + " is not an Ed25519 public key (base64) nor a file holding one");
        }
    }

    static LedgerSeal readCheckpoint(String file) throws Unusable {
        try {
            return parseCheckpoint(Files.readString(Path.of(file), StandardCharsets.UTF_8), file);
        } catch (IOException e) {
            throw new Unusable("cannot read checkpoint " + file + ": " + e.getMessage());
        }
    }

    private static LedgerSeal parseCheckpoint(String json, String from) throws Unusable {
        try {
            LedgerSeal seal = JSON.readValue(json, LedgerSeal.class);
            if (seal.root() == null || seal.signature() == null) {
                throw new Unusable(from + " is not a ledger checkpoint (no root or signature)");
            }
            return seal;
        } catch (IOException e) {
            throw new Unusable(from + " is not a ledger checkpoint: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The two public reads from a coordinator that pin the key and the checkpoint. */
    private record Coordinator(String base, Optional<String> token) {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        PublicKey ledgerKey() throws Unusable {
            String body = get("/api/v1/identity");
            try {
                String key = JSON.readTree(body).path("ledgerPublicKey").asText("");
                if (key.isEmpty()) {
                    throw new Unusable(base + "/api/v1/identity names no ledgerPublicKey");
                }
                return Ed25519.decodePublic(key);
            } catch (IOException | IllegalArgumentException e) {
                throw new Unusable(base + "/api/v1/identity: " + e.getMessage());
            }
        }

        LedgerSeal latestCheckpoint() throws Unusable {
            return parseCheckpoint(get("/api/v1/ledger/checkpoint"), base + "/api/v1/ledger/checkpoint");
        }

        private String get(String path) throws Unusable {
            if (token.isEmpty()) {
                throw new Unusable("--coordinator needs an API token: --token T, $FARM_TOKEN or ~/.config/render-farm/token");
            }
            String url = base.replaceAll("/+$", "") + path;
            HttpRequest request;
            try {
                request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", ApiTokens.bearer(token.get())).GET().build();
            } catch (IllegalArgumentException e) {
                throw new Unusable("--coordinator " + base + " is not a URL: " + e.getMessage());
            }
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new Unusable("GET " + url + " answered " + r.statusCode() + ": " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new Unusable("cannot reach " + url + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unusable("interrupted while reaching " + url);
            }
        }
    }
}
