package farm.render.coordinator.dispatch;

import farm.render.coordinator.FarmConfig;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.Tier;
import farm.render.core.wire.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Each worker's own Kafka login: SCRAM user {@code worker-<id>} with a fresh random password on
 * every registration (so a registration rotates it), and ACLs that let it take tasks from the tier
 * topics through the worker share group and publish to the results topic, nothing else: it cannot
 * write tasks, read results or verdicts, or create topics.
 */
@ApplicationScoped
public class WorkerLogins {
    private static final Logger LOG = Logger.getLogger(WorkerLogins.class);
    private static final int SCRAM_ITERATIONS = 8192;

    private final KafkaSetup setup;
    private final KafkaClients clients;
    private final long timeoutMs;
    private final SecureRandom random = new SecureRandom();

    public WorkerLogins(KafkaSetup setup, KafkaClients clients, FarmConfig config) {
        this.setup = setup;
        this.clients = clients;
        this.timeoutMs = config.kafka().adminTimeout().toMillis();
    }

    public static String userOf(String workerId) {
        return "worker-" + workerId;
    }

    /** What a worker's login may do: READ each tier topic and the share group, WRITE the results topic. */
    public static List<AclBinding> grants(String user) {
        String principal = "User:" + user;
        List<AclBinding> acls = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            acls.add(allow(ResourceType.TOPIC, tier.topic(), principal, AclOperation.READ));
        }
        // share groups are authorized on the GROUP resource type, as consumer groups are
        acls.add(allow(ResourceType.GROUP, Topics.WORKER_SHARE_GROUP, principal, AclOperation.READ));
        acls.add(allow(ResourceType.TOPIC, Topics.RESULTS, principal, AclOperation.WRITE));
        return acls;
    }

    /**
     * Creates or rotates the worker's login. Empty when the farm's broker does not authenticate.
     *
     * @throws DispatchException when the broker does not take the change in time
     */
    public Optional<KafkaLogin> grant(String workerId) {
        if (clients.login().isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        KafkaLogin login = new KafkaLogin(userOf(workerId), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        try {
            setup.admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(login.username(),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), login.password())))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
            setup.admin().createAcls(grants(login.username())).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchException("interrupted while creating the Kafka login of worker " + workerId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DispatchException("cannot create the Kafka login of worker " + workerId + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        LOG.infof("Kafka login %s granted (tasks read, results write)", login.username());
        return Optional.of(login);
    }

    private static AclBinding allow(ResourceType type, String name, String principal, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
