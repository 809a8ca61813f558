package farm.render.coordinator.dispatch;

import farm.render.core.wire.TileTask;

import java.util.List;

/** Where tile tasks go; returns only once every task is durably accepted. */
public interface TaskSink {
    void publish(List<TileTask> tasks);
}
