package farm.render.core.wire;

import java.util.List;

/** A worker's claim of the tickets it acquired in one poll, sent over its authenticated link in one request. */
public record ClaimRequest(List<Ticket> tickets) {

    public ClaimRequest {
        tickets = tickets == null ? List.of() : List.copyOf(tickets);
    }

    /** One tile attempt. */
    public record Ticket(String jobId, int frame, int tile, int attempt) {
        public String taskId() {
            return TileTask.taskId(jobId, frame, tile, attempt);
        }
    }
}
