package dev.ticketing.query.audit;

import dev.ticketing.api.rejection.Rejection;

/** No replay with that id on this node (replays are kept in memory: see ProjectionReplays). */
public class ReplayNotFound extends Rejection {

    public ReplayNotFound(String replayId) {
        super("REPLAY_NOT_FOUND", 404, "No replay " + replayId);
    }
}
