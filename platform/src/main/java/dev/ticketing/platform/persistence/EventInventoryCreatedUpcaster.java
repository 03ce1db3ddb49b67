package dev.ticketing.platform.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;

/**
 * Stored events are forever: revision 1 of EventInventoryCreated may lack
 * {@code maxTicketsPerOrder}, which a record would read as 0 (nobody could reserve). It is read
 * as revision 2 with the API's default of 10.
 */
@Component
public class EventInventoryCreatedUpcaster extends SingleEventUpcaster {

    static final int DEFAULT_MAX_TICKETS_PER_ORDER = 10;
    private static final SimpleSerializedType REVISION_1 =
            new SimpleSerializedType("dev.ticketing.api.inventory.EventInventoryCreated", "1");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(
                new SimpleSerializedType(REVISION_1.getName(), "2"), JsonNode.class, payload -> {
                    if (!payload.hasNonNull("maxTicketsPerOrder")) {
                        ((ObjectNode) payload).put("maxTicketsPerOrder", DEFAULT_MAX_TICKETS_PER_ORDER);
                    }
                    return payload;
                });
    }
}
