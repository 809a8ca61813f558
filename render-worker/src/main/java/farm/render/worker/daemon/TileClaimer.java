package farm.render.worker.daemon;

import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.PeerCheckAssignment;
import farm.render.core.wire.PeerCheckReport;
import farm.render.core.wire.ProbeReport;
import farm.render.core.wire.TileTicket;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Turns acquired tickets into tasks for this worker: the coordinator's claim, one request per poll; and takes the
 * probe-tile digests and the peer-check pixels a claim asked for in place of a ticket.
 */
public interface TileClaimer {
    /**
     * One answer per ticket, in order; the claim declares {@code deviceMemoryBytes}, the device memory one task of this
     * loop may use, and is refused tasks whose job needs more.
     * @throws IOException when the coordinator cannot answer now (the tickets are released)
     */
    List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets, long deviceMemoryBytes) throws IOException;

    /** Hands in the digests of the probe tiles a claim assigned. @throws IOException when the coordinator refused them */
    void reportProbes(ProbeReport report) throws IOException;

    /**
     * Hands in the pixels of the peer check a claim assigned; answers what the coordinator made of them (passed, lied,
     * disputed). @throws IOException when the coordinator refused them
     */
    String reportPeerCheck(PeerCheckReport report) throws IOException;

    /** For a worker with no ticket at hand: the peer check it may do now, if one waits for it. */
    Optional<PeerCheckAssignment> nextPeerCheck(String workerId) throws IOException;
}
