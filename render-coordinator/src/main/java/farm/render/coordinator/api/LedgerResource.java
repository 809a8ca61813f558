package farm.render.coordinator.api;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.accounts.OperatorOnly;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.ledger.Ledger;
import farm.render.core.ledger.LedgerExport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/ledger/export}: the whole ledger as JSON lines, a header with the coordinator's
 * public key, then every entry in chain order; {@code ./farm ledger verify FILE} checks it offline.
 */
@Path("/api/v1/ledger")
public class LedgerResource {
    public static final String NDJSON = "application/x-ndjson";

    private final Transactions tx;
    private final Ledger ledger;
    private final CoordinatorKeys keys;

    public LedgerResource(Transactions tx, Ledger ledger, CoordinatorKeys keys) {
        this.tx = tx;
        this.ledger = ledger;
        this.keys = keys;
    }

    @GET
    @OperatorOnly
    @Path("/export")
    @Produces(NDJSON)
    @Operation(summary = "Export the signed, hash-chained ledger as NDJSON", description = "Operators only: the export"
            + " holds every account's movements. Artists read their own balance under /api/v1/accounts.")
    @APIResponse(responseCode = "200", description = "The ledger, one JSON entry per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "403", description = "The caller is not an operator",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response export() {
        String publicKey = keys.publicKey();
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            LedgerExport.writeHeader(w, publicKey);
            try {
                tx.inTransaction(c -> {
                    ledger.export(c, entry -> {
                        try {
                            LedgerExport.writeEntry(w, entry);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    return null;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
        };
        return Response.ok(body, NDJSON).header("Content-Disposition", "attachment; filename=\"ledger.jsonl\"").build();
    }
}
