package farm.render.coordinator.accounts;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Token buckets on a clock the test moves. */
class RateLimitsTest {
    private static RateLimitConfig.Bucket bucket(int capacity, double perMinute) {
        return new RateLimitConfig.Bucket() {
            public int capacity() {
                return capacity;
            }

            public double perMinute() {
                return perMinute;
            }
        };
    }

    private static RateLimitConfig config(RateLimitConfig.Bucket perAccount, RateLimitConfig.Bucket perIp) {
        RateLimitConfig.Limit limit = new RateLimitConfig.Limit() {
            public RateLimitConfig.Bucket perAccount() {
                return perAccount;
            }

            public RateLimitConfig.Bucket perIp() {
                return perIp;
            }
        };
        return new RateLimitConfig() {
            public Limit login() {
                return limit;
            }

            public Limit signUp() {
                return limit;
            }

            public Limit upload() {
                return limit;
            }

            public Limit job() {
                return limit;
            }
        };
    }

    @Test
    void aBurstBeyondCapacityWaitsForTheNextTokenAndOthersAreNotAffected() {
        AtomicLong now = new AtomicLong();
        RateLimits limits = new RateLimits(config(bucket(3, 6), bucket(1000, 1000)), now::get);
        for (int i = 0; i < 3; i++) {
            limits.spend(RateLimits.Action.LOGIN, "ann", "10.0.0.1");
        }
        AuthFailure.TooManyRequests refused = catchThrowableOfType(AuthFailure.TooManyRequests.class,
                () -> limits.spend(RateLimits.Action.LOGIN, "ann", "10.0.0.1"));
        assertThat(refused.retryAfter().toSeconds()).isEqualTo(10); // 6 a minute: one every 10 s
        assertThat(refused.getMessage()).contains("login").contains("this account");

        limits.spend(RateLimits.Action.LOGIN, "bob", "10.0.0.1"); // another account has its own bucket
        limits.spend(RateLimits.Action.UPLOAD, "ann", "10.0.0.1"); // and so has another action

        now.addAndGet(10_000_000_000L);
        limits.spend(RateLimits.Action.LOGIN, "ann", "10.0.0.1");
        assertThatThrownBy(() -> limits.spend(RateLimits.Action.LOGIN, "ann", "10.0.0.1"))
                .isInstanceOf(AuthFailure.TooManyRequests.class);
    }

    @Test
    void theAddressBucketCountsEveryAccountFromIt() {
        AtomicLong now = new AtomicLong();
        RateLimits limits = new RateLimits(config(bucket(100, 100), bucket(2, 60)), now::get);
        limits.spend(RateLimits.Action.SIGN_UP, "a", "10.0.0.9");
        limits.spend(RateLimits.Action.SIGN_UP, "b", "10.0.0.9");
        AuthFailure.TooManyRequests refused = catchThrowableOfType(AuthFailure.TooManyRequests.class,
                () -> limits.spend(RateLimits.Action.SIGN_UP, "c", "10.0.0.9"));
        assertThat(refused.getMessage()).contains("this address");
        assertThat(refused.retryAfter().toSeconds()).isEqualTo(1);
        limits.spend(RateLimits.Action.SIGN_UP, "c", "10.0.0.10");
    }
}
