package farm.render.core.wire;

/** A worker's claim that it rendered a task and uploaded the tile, on {@code render.results}. */
public record TileResult(TileTask task, String workerId, long renderMillis, String tileSha256) {
}
