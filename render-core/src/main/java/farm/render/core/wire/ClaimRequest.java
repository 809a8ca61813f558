package farm.render.core.wire;

import java.util.List;

/**
 * A worker's claim of the tickets it acquired in one poll, sent over its authenticated link in one request.
 *
 * @param deviceMemoryBytes the device memory the claiming task loop may use ({@code --vram-budget}, split over its
 *                          loops); the claim grants only tasks whose job needs at most this. Null when the client
 *                          declares none, which the claim treats as no device memory at all
 */
public record ClaimRequest(List<Ticket> tickets, Long deviceMemoryBytes) {

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
