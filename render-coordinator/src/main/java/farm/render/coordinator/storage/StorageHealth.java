package farm.render.coordinator.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the farm's bucket answers. */
@Readiness
@ApplicationScoped
public class StorageHealth implements HealthCheck {
    private final ObjectStorage storage;

    public StorageHealth(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("object-storage").status(storage.bucketReachable())
                .withData("bucket", storage.bucket()).build();
    }
}
