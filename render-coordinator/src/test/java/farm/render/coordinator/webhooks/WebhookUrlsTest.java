package farm.render.coordinator.webhooks;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookUrlsTest {
    @Test
    void onlyAbsoluteHttpUrlsWithoutCredentialsAreWebhooks() {
        assertThat(WebhookUrls.problem("ftp://example.org/hook", true)).hasValueSatisfying(p -> assertThat(p).contains("http or https"));
        assertThat(WebhookUrls.problem("file:///etc/passwd", true)).hasValueSatisfying(p -> assertThat(p).contains("http or https"));
        assertThat(WebhookUrls.problem("/relative/hook", true)).hasValueSatisfying(p -> assertThat(p).contains("http or https"));
        assertThat(WebhookUrls.problem("https://user:secret@example.org/hook", true)).hasValueSatisfying(p -> assertThat(p).contains("password"));
        assertThat(WebhookUrls.problem("https://example.org/" + "x".repeat(3000), true)).isPresent();
        assertThat(WebhookUrls.problem("https://93.184.215.14/hook", false)).isEmpty();
        assertThat(WebhookUrls.problem("http://127.0.0.1:8080/hook", true)).as("allowed by configuration").isEmpty();
    }

    @Test
    void internalAddressesAreRefusedUnlessAllowed() {
        for (String url : new String[]{"http://127.0.0.1/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.0.1/",
                "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/", "http://0.0.0.0/",
                "http://[::1]/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook"}) {
            assertThat(WebhookUrls.problem(url, false)).as(url).hasValueSatisfying(p -> assertThat(p).contains("internal address"));
        }
    }

    @Test
    void everyIpv6FormThatEmbedsAnIpv4AddressIsRefusedWhateverTheAddressInside() {
        for (String url : new String[]{
                "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:7f00:1]/hook", "http://[::ffff:8.8.8.8]/hook", // IPv4-mapped
                "http://[::ffff:0:7f00:1]/hook", "http://[::ffff:0:808:808]/hook", // IPv4-translated
                "http://[::127.0.0.1]/hook", "http://[::7f00:1]/hook", "http://[::a9fe:a9fe]/hook", "http://[::8.8.8.8]/hook", // IPv4-compatible
                "http://[64:ff9b::7f00:1]/hook", "http://[64:ff9b::169.254.169.254]/hook", "http://[64:ff9b::808:808]/hook", // NAT64
                "http://[64:ff9b:1::a00:1]/hook", "http://[64:ff9b:1:2:3:4:808:808]/hook", // local-use NAT64
                "http://[2002:7f00:1::]/hook", "http://[2002:a9fe:a9fe::1]/hook", "http://[2002:808:808::1]/hook", // 6to4
                "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "http://[2001::1]/hook", // Teredo
                "http://[2a00:1450::5efe:7f00:1]/hook", "http://[2a00:1450::200:5efe:8.8.8.8]/hook", // ISATAP
                "https://[::FFFF:7F00:0001]:8443/hook"}) {
            assertThat(WebhookUrls.problem(url, false)).as(url).hasValueSatisfying(p -> assertThat(p).contains("embeds an IPv4 address"));
        }
        assertThat(WebhookUrls.problem("http://[64:ff9b::7f00:1]/hook", false)).hasValueSatisfying(p -> assertThat(p)
                .contains("NAT64").contains("127.0.0.1"));
        assertThat(WebhookUrls.problem("http://[2002:a9fe:a9fe::1]/hook", false)).hasValueSatisfying(p -> assertThat(p)
                .contains("6to4").contains("169.254.169.254"));
        assertThat(WebhookUrls.problem("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", false)).hasValueSatisfying(p -> assertThat(p)
                .contains("Teredo").contains("127.0.0.1"));
    }

    @Test
    void otherSpellingsOfInternalAddressesAreRefused() {
        for (String url : new String[]{"http://127.1/hook", "http://2130706433/hook", "http://0x7f000001/hook", "http://[::]/hook",
                "http://[fec0::1]/hook", "http://[ff02::1]/hook", "http://[100::1]/hook", "http://[2001:db8::1]/hook",
                "http://192.0.2.1/hook", "http://198.18.0.1/hook", "http://255.255.255.255/hook", "http://[fe80::1%25eth0]/hook"}) {
            assertThat(WebhookUrls.problem(url, false)).as(url).isPresent();
        }
    }

    @Test
    void publicIpv6AddressesAreWebhooks() {
        assertThat(WebhookUrls.problem("https://[2606:4700:4700::1111]/hook", false)).isEmpty();
        assertThat(WebhookUrls.problem("https://[2a00:1450:4001:82b::200e]:8443/hook", false)).isEmpty();
    }

    @Test
    void aNameIsRefusedWhenAnyAddressItResolvesToIsInternalOrEmbedsIpv4() throws UnknownHostException {
        InetAddress publicV4 = InetAddress.getByName("93.184.215.14");
        InetAddress nat64 = InetAddress.getByName("64:ff9b::a9fe:a9fe");
        InetAddress sixToFour = InetAddress.getByName("2002:808:808::1");
        InetAddress publicV6 = InetAddress.getByName("2606:4700:4700::1111");
        assertThat(WebhookUrls.check("https://hooks.example.test/hook", false, host -> List.of(publicV4, nat64)))
                .isInstanceOfSatisfying(WebhookUrls.Refused.class, r -> assertThat(r.reason()).contains("NAT64").contains("169.254.169.254"));
        assertThat(WebhookUrls.check("https://hooks.example.test/hook", false, host -> List.of(sixToFour)))
                .isInstanceOf(WebhookUrls.Refused.class);
        assertThat(WebhookUrls.check("https://hooks.example.test/hook", false, host -> List.of()))
                .isInstanceOfSatisfying(WebhookUrls.Refused.class, r -> assertThat(r.reason()).contains("unknown"));
        assertThat(WebhookUrls.check("https://hooks.example.test/hook", false, host -> List.of(publicV4, publicV6)))
                .isInstanceOfSatisfying(WebhookUrls.Target.class, t -> {
                    assertThat(t.addresses()).containsExactly(publicV4, publicV6);
                    assertThat(t.host()).isEqualTo("hooks.example.test");
                    assertThat(t.port()).isEqualTo(443);
                    assertThat(t.tls()).isTrue();
                });
    }
}
