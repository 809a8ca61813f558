package farm.render.coordinator.api;

import farm.render.coordinator.Transactions;
import farm.render.coordinator.accounts.OperatorOnly;
import farm.render.coordinator.identity.CoordinatorKeys;
import farm.render.coordinator.dispatch.DispatchException;
import farm.render.coordinator.ledger.Balances;
import farm.render.coordinator.ledger.EntryChain;
import farm.render.coordinator.ledger.LedgerCheckpoints;
import farm.render.core.ledger.LedgerExport;
import farm.render.core.ledger.LedgerSeal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
import java.sql.Statement;
import java.util.Optional;

/**
 * {@code GET /api/v1/ledger/export}: the whole ledger as JSON lines, a header with the ledger's public key,
 * every entry in chain order, then every account's balance, all from one snapshot; and
 * {@code GET /api/v1/ledger/checkpoint}, the latest signed checkpoint. {@code ./farm ledger verify FILE
 * --coordinator URL} checks an export against both offline.
 */
@Path("/api/v1/ledger")
public class LedgerResource {
    public static final String NDJSON = "application/x-ndjson";

    private final Transactions tx;
    private final EntryChain chain;
    private final Balances balances;
    private final CoordinatorKeys keys;
    private final LedgerCheckpoints checkpoints;

    public LedgerResource(Transactions tx, EntryChain chain, Balances balances, CoordinatorKeys keys, LedgerCheckpoints checkpoints) {
        this.tx = tx;
        this.chain = chain;
        this.balances = balances;
        this.keys = keys;
        this.checkpoints = checkpoints;
    }

    @GET
    @Path("/checkpoint")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The latest signed ledger checkpoint", description = "A seal over the ledger's head (entry count"
            + " and last hash), signed with ledgerPublicKey and chained to the seal before it, as published to the compacted"
            + " Kafka topic ledger.checkpoints. An export must reach it.")
    @APIResponse(responseCode = "200", description = "The latest checkpoint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LedgerSeal.class)))
    @APIResponse(responseCode = "404", description = "No checkpoint has been published yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The message bus is unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public LedgerSeal checkpoint() {
        Optional<LedgerSeal> latest;
        try {
            latest = checkpoints.latest();
        } catch (RuntimeException e) {
            throw new DispatchException("cannot read the latest ledger checkpoint: " + e.getMessage(), e);
        }
        return latest.orElseThrow(() -> new ProblemException(Problem.of("no-checkpoint", "No checkpoint yet", 404,
                "the coordinator has not published a ledger checkpoint yet; try again in a few seconds")));
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
        String publicKey = keys.ledgerPublicKey();
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            LedgerExport.writeHeader(w, publicKey);
            try {
                tx.inTransaction(c -> {
                    try (Statement s = c.createStatement()) {
                        // the entries and the balances after them come from one snapshot
                        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    }
                    chain.export(c, entry -> {
                        try {
                            LedgerExport.writeEntry(w, entry);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    try {
                        LedgerExport.writeBalances(w, balances.balances(c));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
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
