package farm.render.coordinator.webhooks;

import farm.render.coordinator.FarmConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Whether a job may name a webhook: a URL {@link WebhookUrls} accepts, from an account that has a signing secret. */
@ApplicationScoped
public class WebhookTargets {
    private final WebhookSecrets secrets;
    private final boolean allowPrivateAddresses;

    public WebhookTargets(WebhookSecrets secrets, FarmConfig config) {
        this.secrets = secrets;
        this.allowPrivateAddresses = config.webhooks().allowPrivateAddresses();
    }

    /**
     * What is wrong with this webhook for this ledger account; empty when nothing is.
     *
     * @param account null when the account name is itself invalid (reported elsewhere)
     */
    public List<String> problems(String url, String account) {
        List<String> problems = new ArrayList<>();
        WebhookUrls.problem(url, allowPrivateAddresses).ifPresent(problems::add);
        if (account != null && secrets.createdAt(account).isEmpty()) {
            problems.add("webhookUrl needs the account's webhook secret to sign deliveries: create one first"
                    + " (POST /api/v1/webhook-secret, or Webhook secret in the web UI)");
        }
        return problems;
    }

    boolean allowPrivateAddresses() {
        return allowPrivateAddresses;
    }
}
