package farm.render.coordinator.planning;

/** A job runs until every frame is assembled (COMPLETED), a tile exhausts its attempts (FAILED) or its artist cancels it. */
public enum JobState {
    RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean finished() {
        return this != RUNNING;
    }
}
