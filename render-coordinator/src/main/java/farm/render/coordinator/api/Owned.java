package farm.render.coordinator.api;

import farm.render.coordinator.accounts.Caller;
import farm.render.coordinator.accounts.Ownership;
import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobQueries;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The caller's own jobs and scenes, looked up the one way every resource does it: what another account
 * owns answers exactly as what does not exist (404), so ids cannot be probed.
 */
@ApplicationScoped
public class Owned {
    private final Caller caller;
    private final JobQueries queries;
    private final Ownership ownership;

    public Owned(Caller caller, JobQueries queries, Ownership ownership) {
        this.caller = caller;
        this.queries = queries;
        this.ownership = ownership;
    }

    /** The caller's job {@code id}, or 404 unknown-job. */
    public Job job(String id) {
        return queries.job(id).filter(j -> caller.owns(j.account()))
                .orElseThrow(() -> ProblemException.notFound("unknown-job", "no job " + id));
    }

    /** Refuses (404 unknown-scene) a digest the caller has not uploaded; null passes to the request's own validation. */
    public void scene(String digest) {
        if (digest != null && !ownership.ownsScene(caller.name(), digest)) {
            throw new ProblemException(Problem.of("unknown-scene", "Unknown scene", 404,
                    "no scene with digest " + digest + " was uploaded by this account").withField("sceneDigest"));
        }
    }
}
