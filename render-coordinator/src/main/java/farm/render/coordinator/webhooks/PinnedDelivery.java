package farm.render.coordinator.webhooks;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One webhook POST over HTTP/1.1 to an address the check returned: the socket connects to that
 * {@link InetAddress}, while the Host header, TLS SNI and the certificate's host name check use the URL's
 * host. Written on a plain socket because java.net.http.HttpClient always resolves the host itself, so the
 * address it connects to could differ from the one checked (DNS rebinding). Redirects are not followed: a
 * 3xx answer is a failed attempt, as a redirect could lead to an internal address.
 */
final class PinnedDelivery {
    /** Most bytes read of the receiver's status line and headers; the rest of the answer is not read. */
    static final int MAX_HEAD = 16 * 1024;

    private PinnedDelivery() {
    }

    /**
     * Checks the URL (resolving its host once), then POSTs {@code body} with {@code headers} to the first of
     * the checked addresses that accepts a connection; null when the receiver answered 2xx, else why not.
     */
    static String deliver(String url, boolean allowPrivateAddresses, HostResolver resolver, SSLContext tls, Duration timeout,
                          Map<String, String> headers, byte[] body) {
        WebhookUrls.Checked checked = WebhookUrls.check(url, allowPrivateAddresses, resolver);
        if (checked instanceof WebhookUrls.Refused refused) {
            return refused.reason();
        }
        WebhookUrls.Target target = (WebhookUrls.Target) checked;
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            Socket socket;
            try {
                socket = connect(target, address, tls, deadline);
            } catch (IOException e) {
                last = e;
                continue;
            }
            try (socket) {
                int status = exchange(socket, target, headers, body, deadline);
                return status / 100 == 2 ? null : "the receiver answered HTTP " + status;
            } catch (IOException e) {
                return noAnswer(address, e);
            }
        }
        return noAnswer(target.addresses().get(target.addresses().size() - 1), last);
    }

    private static String noAnswer(InetAddress address, IOException e) {
        return "no answer from " + address.getHostAddress() + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Socket connect(WebhookUrls.Target target, InetAddress address, SSLContext tls, long deadline) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(address, target.port()), remainingMillis(deadline));
            if (!target.tls()) {
                return raw;
            }
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, target.host(), target.port(), true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host, not the address
            if (!WebhookUrls.isIpLiteral(target.host())) {
                p.setServerNames(List.of(new SNIHostName(target.host())));
            }
            s.setSSLParameters(p);
            s.setSoTimeout(remainingMillis(deadline));
            s.startHandshake();
            return s;
        } catch (IOException | IllegalArgumentException e) {
            raw.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Writes the request and reads the status code; every read waits at most until {@code deadline}. */
    private static int exchange(Socket socket, WebhookUrls.Target target, Map<String, String> headers, byte[] body, long deadline)
            throws IOException {
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
        StringBuilder head = new StringBuilder("POST ").append(path)
                .append(target.uri().getRawQuery() == null ? "" : "?" + target.uri().getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.uri().getRawAuthority()).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v.replaceAll("[\\r\\n]", " ")).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        socket.setSoTimeout(remainingMillis(deadline));
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(socket, in, deadline);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
            throw new IOException("not an HTTP answer: " + statusLine.substring(0, Math.min(80, statusLine.length())));
        }
        return Integer.parseInt(parts[1]);
    }

    private static String readLine(Socket socket, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_HEAD) {
            socket.setSoTimeout(remainingMillis(deadline));
            int c = in.read();
            if (c < 0) {
                throw new IOException("the receiver closed the connection without an answer");
            }
            if (c == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).strip();
            }
            line.write(c);
        }
        throw new IOException("the receiver's status line is longer than " + MAX_HEAD + " bytes");
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer within the webhook timeout");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
