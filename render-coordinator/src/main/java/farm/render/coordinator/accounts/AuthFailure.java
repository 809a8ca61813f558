package farm.render.coordinator.accounts;

import java.time.Duration;

/** Why a request may not go on; the API maps each kind to its status (401, 403, 429). */
public abstract sealed class AuthFailure extends RuntimeException {
    AuthFailure(String message) {
        super(message, null, false, false);
    }

    /** No valid session cookie or bearer token: 401 with {@code WWW-Authenticate: Bearer}. */
    public static final class NotAuthenticated extends AuthFailure {
        public NotAuthenticated(String message) {
            super(message);
        }
    }

    /** Authenticated, but the endpoint is for operators: 403. */
    public static final class NotOperator extends AuthFailure {
        public NotOperator(String message) {
            super(message);
        }
    }

    /** A bucket is empty: 429 with {@code Retry-After}. */
    public static final class TooManyRequests extends AuthFailure {
        private final Duration retryAfter;

        public TooManyRequests(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
