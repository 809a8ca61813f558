package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.classes.ClassStatus;
import farm.render.coordinator.classes.NumericalClasses;
import farm.render.coordinator.dispatch.KafkaClients;
import farm.render.coordinator.dispatch.WorkerLogins;
import farm.render.coordinator.ledger.Accounts;
import farm.render.coordinator.workers.WorkerRegistry;
import farm.render.coordinator.workers.WorkerStanding;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.identity.Ed25519;
import farm.render.core.wire.KafkaLogin;
import farm.render.core.wire.Reputation;
import farm.render.core.wire.Tier;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import farm.render.coordinator.workers.DeviceReport;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Workers register their Ed25519 public key here and read their standing: reputation, tiers, stake.
 * Each registration also hands the worker a fresh Kafka login of its own (see {@link WorkerLogins}).
 */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public class WorkerResource {
    private final WorkerRegistry registry;
    private final Caller caller;
    private final Ownership ownership;
    private final WorkerLogins kafkaLogins;
    private final KafkaClients kafka;
    private final NumericalClasses classes;

    public WorkerResource(WorkerRegistry registry, Caller caller, Ownership ownership, WorkerLogins kafkaLogins, KafkaClients kafka,
                          NumericalClasses classes) {
        this.classes = classes;
        this.caller = caller;
        this.ownership = ownership;
        this.registry = registry;
        this.kafkaLogins = kafkaLogins;
        this.kafka = kafka;
    }

    public record Registration(String workerId, String publicKey) {
    }

    /** What the verifier and the worker read; amounts in micro-tokens. */
    public record ReputationView(double passes, double fails, double score, boolean isNew, boolean suspect, boolean trusted) {
    }

    /** A worker's standing; {@code device} is its last device report, null until it reports one. */
    public record WorkerView(String workerId, String publicKey, ReputationView reputation, List<Tier> allowedTiers,
                             List<String> allowedTierNames, int sampledPixels, long stake, long available, DeviceView device) {
    }

    /** No device reaches this: a bound that keeps absurd reports out. */
    static final double MAX_PATHS_PER_SECOND = 1e13;

    /** The worker's own Kafka login, new with each registration; absent when the broker does not authenticate. */
    public record KafkaAccess(String bootstrapServers, String securityProtocol, String saslMechanism, String username,
                              String password) {
    }

    /** The answer to a registration: the worker's standing, and its Kafka login. */
    public record RegistrationView(String workerId, String publicKey, ReputationView reputation, List<Tier> allowedTiers,
                                   List<String> allowedTierNames, int sampledPixels, long stake, long available,
                                   Optional<KafkaAccess> kafka) {
        static RegistrationView of(WorkerView v, Optional<KafkaAccess> kafka) {
            return new RegistrationView(v.workerId(), v.publicKey(), v.reputation(), v.allowedTiers(), v.allowedTierNames(),
                    v.sampledPixels(), v.stake(), v.available(), kafka);
        }
    }

    WorkerView view(WorkerStanding w) {
        Reputation r = w.reputation();
        return new WorkerView(w.workerId(), w.publicKey(),
                new ReputationView(r.passes(), r.fails(), r.score(), r.isNew(), r.isSuspect(), r.isTrusted()),
                r.allowedTiers(), r.allowedTiers().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList(),
                r.sampledPixels(), w.stake(), w.available(), w.device().map(WorkerResource::view).orElse(null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a worker and its Ed25519 public key", description = "The worker id is bound to the"
            + " registering account (the GPU owner); another account cannot take it. A new worker id's stake"
            + " (farm.workers.stake) is moved from that account's balance: 402 when it cannot pay.")
    public Response register(Registration body) {
        if (body == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {workerId, publicKey} is required"));
        }
        if (!Accounts.validName(body.workerId()) || body.workerId().length() > 64) {
            throw new ProblemException(Problem.of("invalid-worker-id", "Invalid worker id", 400,
                    "workerId must be 1-64 letters, digits, '.', '_', '@' or '-'").withField("workerId"));
        }
        try {
            Ed25519.decodePublic(body.publicKey());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("invalid-public-key", "Invalid public key", 400,
                    "publicKey must be a base64 X.509 Ed25519 public key").withField("publicKey"));
        }
        if (!ownership.claimWorker(body.workerId(), caller.name())) {
            throw new ProblemException(Problem.of("worker-id-taken", "Worker id taken", 409,
                    "worker " + body.workerId() + " belongs to another account; pick another id").withField("workerId"));
        }
        WorkerRegistry.Registration outcome = registry.register(body.workerId(), body.publicKey(), caller.ledgerAccount());
        if (outcome instanceof WorkerRegistry.StakeUnpaid unpaid) {
            throw new ProblemException(Problem.of("insufficient-funds", "Insufficient funds", 402, "a new worker's stake of "
                    + unpaid.stake() + " micro-tokens is moved from account " + unpaid.ownerAccount() + ", which holds "
                    + unpaid.balance()));
        }
        if (outcome instanceof WorkerRegistry.KeyConflict) {
            throw new ProblemException(Problem.of("worker-key-conflict", "Worker id taken", 409,
                    "worker " + body.workerId() + " is registered with another key; pick another id or use its key file").withField("workerId"));
        }
        WorkerRegistry.Registered registered = (WorkerRegistry.Registered) outcome;
        Optional<KafkaAccess> access = kafkaLogins.grant(body.workerId()).map(l -> new KafkaAccess(kafka.bootstrapServers(),
                KafkaLogin.SECURITY_PROTOCOL, KafkaLogin.MECHANISM, l.username(), l.password()));
        return Response.status(registered.created() ? 201 : 200)
                .location(URI.create("/api/v1/workers/" + body.workerId()))
                .entity(RegistrationView.of(view(registered.standing()), access)).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A worker's reputation, tiers and stake", description = "Workers you registered; operators (and the"
            + " verifiers, which run as operators) may read any.")
    public WorkerView worker(@PathParam("id") String id) {
        boolean visible = caller.operator() || ownership.workerOwner(id).filter(caller.name()::equals).isPresent();
        return registry.find(id).filter(w -> visible).map(this::view)
                .orElseThrow(() -> ProblemException.notFound("unknown-worker", "no worker " + id));
    }

    /**
     * A worker's report of its device: name, score in paths per second (0: not measured), renderer version, and the facts
     * of its numerical class (absent from workers that predate classes).
     */
    public record DeviceBody(String name, Double pathsPerSecond, String rendererVersion, NumericalFacts numericalClass) {
    }

    /** {@code numericalClassStatus} is answered to the device report only (null elsewhere): reference, proven or unproven. */
    public record DeviceView(String name, double pathsPerSecond, String rendererVersion, Instant reportedAt, String numericalClass,
                             String numericalClassStatus) {
    }

    @PUT
    @Path("/{id}/device")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the device a worker renders on and its device score", description = "The worker sends"
            + " this after its start benchmark; the score (paths per second) is what `render-worker bench --start` measured"
            + " on that device, 0 when it skipped the benchmark; numericalClass holds the facts of its numerical class (Vulkan"
            + " ids, driver, name, float controls, renderer version), and the answer says the class's status. Workers you"
            + " registered only.")
    public DeviceView reportDevice(@PathParam("id") String id, DeviceBody body) {
        if (ownership.workerOwner(id).filter(caller.name()::equals).isEmpty()) {
            throw ProblemException.notFound("unknown-worker", "no worker " + id);
        }
        if (body == null || body.name() == null || body.name().isBlank() || body.name().length() > 200
                || !body.name().chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f)) {
            throw new ProblemException(Problem.of("invalid-device", "Invalid device report", 400,
                    "name must be the device's name: 1-200 printable characters").withField("name"));
        }
        double score = body.pathsPerSecond() == null ? 0 : body.pathsPerSecond();
        if (!(score >= 0) || score > MAX_PATHS_PER_SECOND) {
            throw new ProblemException(Problem.of("invalid-device", "Invalid device report", 400,
                    "pathsPerSecond must be between 0 and " + (long) MAX_PATHS_PER_SECOND).withField("pathsPerSecond"));
        }
        String renderer = body.rendererVersion() == null ? "" : body.rendererVersion();
        if (!renderer.matches("[A-Za-z0-9._-]{0,64}")) {
            throw new ProblemException(Problem.of("invalid-device", "Invalid device report", 400,
                    "rendererVersion must be at most 64 letters, digits, '.', '_' or '-'").withField("rendererVersion"));
        }
        if (body.numericalClass() != null) {
            DeviceClassProblems.check(body.numericalClass(), "numericalClass.");
        }
        Optional<ClassStatus> status = body.numericalClass() == null ? Optional.empty()
                : classes.report(id, caller.name(), body.numericalClass());
        DeviceView view = registry.reportDevice(id, body.name().strip(), score, renderer).map(WorkerResource::view)
                .orElseThrow(() -> ProblemException.notFound("unknown-worker", "no worker " + id));
        return new DeviceView(view.name(), view.pathsPerSecond(), view.rendererVersion(), view.reportedAt(), view.numericalClass(),
                status.map(ClassStatus::label).orElse(null));
    }

    static DeviceView view(DeviceReport d) {
        return new DeviceView(d.name(), d.pathsPerSecond(), d.rendererVersion(), d.reportedAt(), d.numericalClass(), null);
    }
}
