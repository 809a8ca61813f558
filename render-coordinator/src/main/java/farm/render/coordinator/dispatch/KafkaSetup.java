package farm.render.coordinator.dispatch;

import farm.render.coordinator.FarmConfig;
import farm.render.core.wire.Tier;
import farm.render.core.wire.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the farm's topics when missing and sets the worker share group's lock and delivery limits. */
@ApplicationScoped
public class KafkaSetup {
    private static final Logger LOG = Logger.getLogger(KafkaSetup.class);

    private final FarmConfig config;
    private final String bootstrapServers;
    private final Admin admin;

    public KafkaSetup(FarmConfig config, KafkaClients clients) {
        this.config = config;
        this.bootstrapServers = clients.bootstrapServers();
        Properties p = clients.base("render-coordinator-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(config.kafka().adminTimeout().toMillis()));
        this.admin = Admin.create(p);
    }

    public static List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            topics.add(tier.topic());
        }
        topics.add(Topics.RESULTS);
        topics.add(Topics.VERDICTS);
        return topics;
    }

    public void ensure() {
        long timeout = config.kafka().adminTimeout().toMillis();
        try {
            Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = topics().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, config.kafka().partitions(), config.kafka().replicationFactor())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeout, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    // another coordinator replica may have created them a moment ago
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            }
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, Topics.WORKER_SHARE_GROUP);
            List<AlterConfigOp> ops = List.of(
                    set("share.auto.offset.reset", "earliest"),
                    set("share.record.lock.duration.ms", String.valueOf(config.dispatch().lockDurationMs())),
                    set("share.delivery.count.limit", String.valueOf(config.dispatch().deliveryLimit())));
            admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(timeout, TimeUnit.MILLISECONDS);
            LOG.infof("share group %s: lock %d ms, delivery limit %d", Topics.WORKER_SHARE_GROUP,
                    config.dispatch().lockDurationMs(), config.dispatch().deliveryLimit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set up Kafka topics and share group at "
                    + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    /** Whether the cluster answers within {@code timeoutMs}. */
    public boolean reachable(long timeoutMs) {
        try {
            admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    Admin admin() {
        return admin;
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
