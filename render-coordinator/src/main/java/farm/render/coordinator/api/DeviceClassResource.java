package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.OperatorOnly;
import farm.render.coordinator.classes.NumericalClass;
import farm.render.coordinator.classes.NumericalClasses;
import farm.render.core.classes.NumericalFacts;
import farm.render.core.digest.Digests;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The numerical-class table: every class workers reported, its facts and status against the trusted verifier's class
 * (reference, proven, unproven), and the classes each is equivalent to; and the verifier's hand-in of its reference.
 */
@Path("/api/v1/device-classes")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceClassResource {
    private final NumericalClasses classes;
    private final Caller caller;

    public DeviceClassResource(NumericalClasses classes, Caller caller) {
        this.classes = classes;
        this.caller = caller;
    }

    /** One class; {@code reporters} lists workers and owners for operators only (null for others). */
    public record ClassView(String id, String status, NumericalFacts facts, int workers, int owners, int probeRuns,
                            int matchingOwners, int differingRuns, List<String> equivalentTo, List<NumericalClass.Reporter> reporters,
                            Instant firstSeenAt, Instant lastSeenAt) {
        static ClassView of(NumericalClass c, boolean operator) {
            return new ClassView(c.id(), c.status().label(), c.facts(), c.workers(), c.owners(), c.runs(), c.matchingOwners(),
                    c.differingRuns(), c.equivalentTo(), operator ? c.reporters() : null, c.firstSeenAt(), c.lastSeenAt());
        }
    }

    /**
     * The table: {@code probeCount} tiles make one probe run, {@code provingOwners} owners' matching runs prove a class,
     * {@code references} names the verifier's class per renderer version.
     */
    public record ClassTable(int probeCount, int provingOwners, Map<String, String> references, List<ClassView> classes) {
    }

    @GET
    @Operation(summary = "The numerical classes of the farm's devices", description = "Each class a worker reported (devices with"
            + " equal Vulkan ids, driver, name, float controls and renderer version), most recently seen first (at most "
            + NumericalClasses.MAX_LISTED + "): its status (reference: the trusted verifier's class; proven: complete probe runs"
            + " from provingOwners different owners matched the reference bit for bit, none differed; unproven) and the classes"
            + " whose probe runs came back bit-identical to its own. Operators also see which workers and owners reported each.")
    public ClassTable table() {
        boolean operator = caller.operator();
        return new ClassTable(classes.probeCount(), classes.provingOwners(), classes.references(),
                classes.table(operator).stream().map(c -> ClassView.of(c, operator)).toList());
    }

    /** The verifier's class and its digests of the first probeCount probe tiles, in probe order. */
    public record ReferenceBody(NumericalFacts numericalClass, List<String> digests) {
    }

    @PUT
    @Path("/reference")
    @OperatorOnly
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Hand in the trusted verifier's class and probe digests", description = "Operators only: the verifier"
            + " sends this at start, for its renderer version. Every worker's probe run is then compared with these digests"
            + " bit for bit; a later hand-in for the same renderer version replaces the reference.")
    public ClassTable reference(ReferenceBody body) {
        if (body == null || body.numericalClass() == null) {
            throw new ProblemException(Problem.of("malformed-request", "Malformed request body", 400,
                    "a JSON body {numericalClass, digests} is required").withField("numericalClass"));
        }
        DeviceClassProblems.check(body.numericalClass(), "numericalClass.");
        if (body.digests() == null || body.digests().size() != classes.probeCount()
                || body.digests().stream().anyMatch(d -> !Digests.isSha256Hex(d))) {
            throw new ProblemException(Problem.of("invalid-probe-digests", "Invalid probe digests", 400, "digests must be "
                    + classes.probeCount() + " SHA-256 hex digests, one per probe tile in order").withField("digests"));
        }
        classes.setReference(body.numericalClass(), body.digests());
        return table();
    }
}
