package farm.render.coordinator.planning;

/** A job runs until every frame is assembled (COMPLETED) or a tile exhausts its attempts (FAILED). */
public enum JobState {
    RUNNING, COMPLETED, FAILED;

    public boolean finished() {
        return this != RUNNING;
    }
}
