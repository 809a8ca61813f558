package farm.render.coordinator.accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Token buckets per action ({@code farm.rate-limit.ACTION.per-account|per-ip.*}), in memory on each
 * replica: {@code capacity} requests at once, refilled at {@code per-minute}. Defaults in
 * application.properties.
 */
@ConfigMapping(prefix = "farm.rate-limit")
public interface RateLimitConfig {
    Limit login();

    Limit signUp();

    Limit upload();

    Limit job();

    interface Limit {
        Bucket perAccount();

        Bucket perIp();
    }

    interface Bucket {
        @WithDefault("60")
        int capacity();

        @WithDefault("60")
        double perMinute();
    }
}
