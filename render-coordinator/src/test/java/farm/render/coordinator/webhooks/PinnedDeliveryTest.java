package farm.render.coordinator.webhooks;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries go to the addresses the check resolved, never to a second lookup: each test's host names
 * exist only in the test's resolver, so a delivery that arrives at all went to the checked address.
 */
class PinnedDeliveryTest {
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json", "X-Farm-Event", "job.completed");
    private static final byte[] BODY = "{\"type\":\"job.completed\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One request the receiver got. */
    record Received(String host, String target, String event, String body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private int start(HttpServer s) {
        server = s;
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("X-Farm-Event"), new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/refuse") ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static SSLContext tls() throws Exception {
        return SSLContext.getDefault();
    }

    @Test
    void aNameIsDeliveredToTheAddressItsCheckResolvedWithTheNameAsHost() throws Exception {
        int port = start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        AtomicInteger lookups = new AtomicInteger();
        HostResolver resolver = host -> {
            lookups.incrementAndGet();
            assertThat(host).isEqualTo("hooks.example.test");
            return List.of(InetAddress.getLoopbackAddress());
        };
        assertThat(PinnedDelivery.deliver("http://hooks.example.test:" + port + "/hook?job=j1", true, resolver, tls(), TIMEOUT, HEADERS, BODY))
                .isNull();
        assertThat(received).containsExactly(new Received("hooks.example.test:" + port, "/hook?job=j1", "job.completed",
                new String(BODY, StandardCharsets.UTF_8)));
        assertThat(lookups).as("resolved once, at the check").hasValue(1);
        assertThat(PinnedDelivery.deliver("http://hooks.example.test:" + port + "/refuse", true, resolver, tls(), TIMEOUT, HEADERS, BODY))
                .isEqualTo("the receiver answered HTTP 503");
    }

    @Test
    void aNameThatRebindsToAnInternalAddressAfterTheCheckIsNotConnectedThere() throws Exception {
        int port = start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        InetAddress checked = InetAddress.getByName("93.184.215.14");
        AtomicInteger lookups = new AtomicInteger();
        // the attacker's DNS answers a public address once, then loopback (where an internal service listens)
        HostResolver rebinding = host -> lookups.getAndIncrement() == 0 ? List.of(checked) : List.of(InetAddress.getLoopbackAddress());
        String failure = PinnedDelivery.deliver("http://rebind.example.test:" + port + "/hook", false, rebinding, tls(),
                Duration.ofSeconds(2), HEADERS, BODY);
        assertThat(failure).as("the delivery went to the checked public address, which does not answer here")
                .startsWith("no answer from 93.184.215.14");
        assertThat(lookups).hasValue(1);
        assertThat(received).as("the internal service never saw the request").isEmpty();
        // the next attempt resolves again and is refused at the check, before any connection
        assertThat(PinnedDelivery.deliver("http://rebind.example.test:" + port + "/hook", false, rebinding, tls(), TIMEOUT, HEADERS, BODY))
                .contains("internal address").contains("loopback");
        assertThat(received).isEmpty();
    }

    @Test
    void anyInternalAddressAmongTheAnswersRefusesTheDelivery() throws Exception {
        int port = start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        HostResolver mixed = host -> List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getLoopbackAddress());
        assertThat(PinnedDelivery.deliver("http://mixed.example.test:" + port + "/hook", false, mixed, tls(), TIMEOUT, HEADERS, BODY))
                .contains("internal address");
        HostResolver nat64 = host -> List.of(InetAddress.getByName("64:ff9b::7f00:1"));
        assertThat(PinnedDelivery.deliver("http://nat64.example.test:" + port + "/hook", false, nat64, tls(), TIMEOUT, HEADERS, BODY))
                .contains("NAT64").contains("embeds an IPv4 address");
        assertThat(received).isEmpty();
    }

    @Test
    void httpsChecksTheCertificateAgainstTheUrlsNameNotTheAddress(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("hook.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "hook", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=hooks.example.test",
                "-ext", "SAN=dns:hooks.example.test", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String log = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(log).isTrue();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        int port = start(https);
        HostResolver loopback = host -> List.of(InetAddress.getLoopbackAddress());

        assertThat(PinnedDelivery.deliver("https://hooks.example.test:" + port + "/hook", true, loopback, clientTls, TIMEOUT, HEADERS, BODY))
                .isNull();
        assertThat(received).extracting(Received::host).containsExactly("hooks.example.test:" + port);
        // the same address under another name: the certificate does not name it, so nothing is sent
        assertThat(PinnedDelivery.deliver("https://other.example.test:" + port + "/hook", true, loopback, clientTls, TIMEOUT, HEADERS, BODY))
                .startsWith("no answer from 127.0.0.1").contains("SSLHandshakeException");
        assertThat(received).hasSize(1);
    }
}
