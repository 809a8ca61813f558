package farm.render.worker.daemon;

import farm.render.core.wire.ClaimAnswer;
import farm.render.core.wire.TileTicket;

import java.io.IOException;
import java.util.List;

/** Turns acquired tickets into tasks for this worker: the coordinator's claim, one request per poll. */
public interface TileClaimer {
    /** One answer per ticket, in order. @throws IOException when the coordinator cannot answer now (the tickets are released) */
    List<ClaimAnswer> claim(String workerId, List<TileTicket> tickets) throws IOException;
}
