package farm.render.coordinator.planning;

/**
 * A job runs until every frame is assembled (COMPLETED), a tile exhausts its attempts (FAILED) or its artist
 * cancels it. PAUSED is how the API shows a running job its artist paused: it is stored as RUNNING with its
 * paused flag set, so verdicts for tiles already out still count.
 */
public enum JobState {
    RUNNING, COMPLETED, FAILED, CANCELLED, PAUSED;

    public boolean finished() {
        return this != RUNNING && this != PAUSED;
    }
}
