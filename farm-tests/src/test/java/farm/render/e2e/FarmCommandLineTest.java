package farm.render.e2e;

import farm.render.stack.services.FarmLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code ./farm} script, as a user types it: every command answers {@code --help} with the text of its row in
 * the README's Commands table, {@code ./farm help} lists every row's text, and an unknown option exits 2 with the usage.
 */
class FarmCommandLineTest {
    /** Each command's words, and how its row of the README's Commands table starts. */
    static final Map<String, String> ROWS = new LinkedHashMap<>();

    static {
        for (String command : List.of("demo", "up", "down", "status", "worker", "test", "submit", "job", "render", "bench tiles", "bench determinism",
                "bench scenes", "bench verify", "bench farm", "bench ed25519", "ledger verify", "chaos", "build", "help")) {
            ROWS.put(command, "./farm " + command);
        }
        ROWS.put("bench", "./farm bench [render]");
        ROWS.put("bench render", "./farm bench [render]");
    }

    static Path root;
    @TempDir
    static Path farmDir;

    record Run(int status, String out, String err) {
    }

    @BeforeAll
    static void builtFarm() throws IOException {
        FarmLayout layout = FarmLayout.locate();
        root = layout.root();
        // every artifact ./farm checks is there, so with a fresh build stamp it runs what it has instead of building
        layout.kafkaLib();
        layout.s3proxyJar();
        layout.coordinatorJar();
        layout.workerJar();
        layout.verifierJar();
        assertThat(root.resolve("local-stack/target/local-stack-0.1.0-SNAPSHOT.jar")).exists();
        Files.writeString(farmDir.resolve("build.stamp"), "");
    }

    private static Run farm(String... words) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("farm").toString()));
        command.addAll(List.of(words));
        Path out = Files.createTempFile(farmDir, "out", ".txt");
        Path err = Files.createTempFile(farmDir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("FARM_DIR", farmDir.toString());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./farm " + String.join(" ", words) + " still running after 2 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The README's Commands table: each row's command (its first code span) and its description, as plain text. */
    static Map<String, String> readmeRows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `./farm ")) {
                continue;
            }
            String[] cells = line.split("(?<!\\\\)\\|");
            String command = cells[1].strip();
            rows.putIfAbsent(plain(command.substring(1, command.indexOf('`', 1))), plain(cells[2]));
        }
        return rows;
    }

    private static String plain(String markdown) {
        return flat(markdown.replace("`", "").replace("\\|", "|"));
    }

    private static String flat(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String description(Map<String, String> rows, String start) {
        return rows.entrySet().stream().filter(r -> r.getKey().equals(start) || r.getKey().startsWith(start + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + start + " in the README's Commands table")).getValue();
    }

    @Test
    void everyCommandAnswersHelpWithItsReadmeDescription() throws Exception {
        Map<String, String> rows = readmeRows();
        for (Map.Entry<String, String> command : ROWS.entrySet()) {
            List<String> words = new ArrayList<>(List.of(command.getKey().split(" ")));
            words.add("--help");
            Run run = farm(words.toArray(String[]::new));
            String said = "./farm " + String.join(" ", words) + "\n" + run.out() + run.err();
            assertThat(run.status()).as(said).isZero();
            assertThat(run.out()).as(said).containsIgnoringCase("usage:");
            assertThat(flat(run.out())).as(said).contains(description(rows, command.getValue()));
        }
        assertThat(flat(farm("test", "-h").out())).contains(description(rows, "./farm test --security"));
    }

    @Test
    void theUsageListsEveryReadmeRow() throws Exception {
        Run help = farm("help");
        assertThat(help.status()).isZero();
        assertThat(readmeRows().values()).allSatisfy(description -> assertThat(flat(help.out())).contains(description));
    }

    @Test
    void anUnknownOptionExitsTwoWithTheUsage() throws Exception {
        Run submit = farm("submit", "--bogus");
        assertThat(submit.status()).as(submit.err()).isEqualTo(2);
        assertThat(submit.err()).contains("unknown option --bogus").contains("usage: ./farm submit SCENE");
        assertThat(submit.out()).isEmpty();
        Run down = farm("down", "--bogus");
        assertThat(down.status()).isEqualTo(2);
        assertThat(down.err()).contains("unknown option --bogus").contains("./farm down");
        assertThat(farm("no-such-command").status()).isEqualTo(2);
    }
}
