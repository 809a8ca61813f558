package farm.render.coordinator.accounts;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Who is calling: the account a request acts for. Every resource that reads or changes an account's
 * scenes, jobs, frames or tokens asks this bean, never a header of its own.
 */
@RequestScoped
public class Caller {
    static final String ARTIST_PREFIX = "artist:";

    @Context
    HttpHeaders headers;

    /** The account's name, without the ledger's {@code artist:} prefix. */
    public String name() {
        String account = headers == null ? null : headers.getHeaderString("X-Account");
        if (account == null || account.isBlank()) {
            return "local";
        }
        return account.startsWith(ARTIST_PREFIX) ? account.substring(ARTIST_PREFIX.length()) : account;
    }
}
