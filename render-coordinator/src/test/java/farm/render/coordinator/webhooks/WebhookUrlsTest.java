package farm.render.coordinator.webhooks;

import org.junit.jupiter.api.Test;

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
}
