package dev.ticketing.query.audit;

import dev.ticketing.api.rejection.Rejection;

import java.util.Map;

/** A projection is rebuilt by one replay at a time; the body names the one that runs. */
public class ReplayRunning extends Rejection {

    public ReplayRunning(Replay running) {
        super("REPLAY_RUNNING", 409, "The " + running.projection() + " projection is being replayed already",
                Map.of("replayId", running.id().toString()));
    }
}
