package farm.render.coordinator.workers;

import farm.render.coordinator.FarmConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sign-up grant exists only in the demo (and dev, test) profiles; a production coordinator mints nothing. */
class StakeConfigTest {
    private static FarmConfig config(String profile) throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile(profile).withValidateUnknown(false)
                .withSources(new PropertiesConfigSource(StakeConfigTest.class.getClassLoader().getResource("application.properties"), 250))
                .withMapping(FarmConfig.class).build();
        return config.getConfigMapping(FarmConfig.class);
    }

    @Test
    void productionHasNoSignUpGrantAndTheDemoProfileHasOne() throws IOException {
        assertThat(config("prod").artist().initialGrant()).isZero();
        assertThat(config("demo").artist().initialGrant()).isEqualTo(1_000_000_000_000L);
        assertThat(config("test").artist().initialGrant()).isEqualTo(1_000_000_000_000L);
        assertThat(config("prod").workers().stake()).isEqualTo(10_000_000L);
        assertThat(config("demo").workers().stake()).isEqualTo(10_000_000L);
    }

    @Test
    void withoutAnyConfigurationNothingIsGranted() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile("prod").withValidateUnknown(false)
                .withSources(new io.smallrye.config.common.MapBackedConfigSource("required", Map.of("farm.s3.endpoint", "http://s3",
                        "farm.s3.access-key", "a", "farm.s3.secret-key", "s"), 100) {
                })
                .withMapping(FarmConfig.class).build();
        FarmConfig farm = config.getConfigMapping(FarmConfig.class);
        assertThat(farm.artist().initialGrant()).isZero();
        assertThat(farm.workers().stake()).isEqualTo(10_000_000L);
    }
}
