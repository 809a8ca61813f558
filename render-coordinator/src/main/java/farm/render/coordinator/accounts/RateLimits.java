package farm.render.coordinator.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per action, per account and per client IP, in this replica's memory (N replicas
 * behind a balancer allow up to N times a bucket). A request spends one token from each of its
 * buckets; an empty bucket answers {@link AuthFailure.TooManyRequests} with the wait until the next token.
 */
@ApplicationScoped
public class RateLimits {
    /** What is limited: the actions that cost the farm (password hashing, imports, escrow and dispatch). */
    public enum Action {
        LOGIN, SIGN_UP, UPLOAD, JOB;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final int PRUNE_ABOVE = 100_000;

    private final RateLimitConfig config;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimits(RateLimitConfig config) {
        this(config, System::nanoTime);
    }

    RateLimits(RateLimitConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
    }

    /** Spends one token from the account's and the IP's bucket for {@code action}, or throws when either is empty. */
    public void spend(Action action, String account, String ip) {
        RateLimitConfig.Limit limit = limit(action);
        long now = nanoClock.getAsLong();
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        if (account != null) {
            take(action.label() + "|account|" + account, limit.perAccount(), now, action, "this account");
        }
        if (ip != null) {
            take(action.label() + "|ip|" + ip, limit.perIp(), now, action, "this address");
        }
    }

    private void take(String key, RateLimitConfig.Bucket settings, long now, Action action, String who) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(settings.capacity(), settings.perMinute() / 60e9, now));
        long waitNanos = bucket.take(now);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new AuthFailure.TooManyRequests("too many " + action.label() + " requests from " + who
                    + "; try again in " + seconds + " s", Duration.ofSeconds(seconds));
        }
    }

    private RateLimitConfig.Limit limit(Action action) {
        return switch (action) {
            case LOGIN -> config.login();
            case SIGN_UP -> config.signUp();
            case UPLOAD -> config.upload();
            case JOB -> config.job();
        };
    }

    /** A classic token bucket: up to {@code capacity} tokens, refilled continuously at {@code perNano}. */
    static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long at;

        Bucket(double capacity, double perNano, long now) {
            this.capacity = capacity;
            this.perNano = perNano;
            this.tokens = capacity;
            this.at = now;
        }

        /** 0 when a token was taken, else the nanoseconds until one will be there. */
        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return perNano <= 0 ? Long.MAX_VALUE / 2 : (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - at) * perNano);
            at = now;
        }
    }
}
