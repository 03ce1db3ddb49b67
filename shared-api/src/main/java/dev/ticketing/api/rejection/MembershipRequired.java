package dev.ticketing.api.rejection;

import java.util.Map;

public class MembershipRequired extends Rejection {

    public MembershipRequired() {
        super("MEMBERSHIP_REQUIRED", 403, "This event is for members only", Map.of());
    }
}
