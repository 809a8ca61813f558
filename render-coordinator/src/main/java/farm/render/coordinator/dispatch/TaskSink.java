package farm.render.coordinator.dispatch;

import farm.render.core.wire.TileTicket;

import java.util.List;

/** Where tile tickets go; returns only once every ticket is durably accepted. */
public interface TaskSink {
    void publish(List<TileTicket> tickets);
}
