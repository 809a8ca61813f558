package farm.render.stack.services;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Ports a service keeps across restarts of one work directory (a Kafka controller's address is part
 * of its stored quorum), picked free the first time and taken again when still free.
 */
public final class Ports {
    private Ports() {
    }

    public static int remembered(Path dir, String key) {
        Path file = dir.resolve("ports.properties");
        Properties props = new Properties();
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                try (Reader r = Files.newBufferedReader(file)) {
                    props.load(r);
                }
            }
            String known = props.getProperty(key);
            if (known != null && !ServiceProcess.isListening(Integer.parseInt(known))) {
                return Integer.parseInt(known);
            }
            int port = ServiceProcess.freePort();
            props.setProperty(key, Integer.toString(port));
            try (Writer w = Files.newBufferedWriter(file)) {
                props.store(w, "ports of this work directory");
            }
            return port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
