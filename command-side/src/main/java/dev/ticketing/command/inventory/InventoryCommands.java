package dev.ticketing.command.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.rejection.EventNotFound;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Sends commands to an event's inventory on behalf of a user: the user id goes into the
 * metadata (and from there onto the events), and an unknown event becomes EVENT_NOT_FOUND.
 */
@Component
public class InventoryCommands {

    private final CommandGateway gateway;

    public InventoryCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(EventId eventId, Object command, String userId) {
        return send(eventId, command, userId, Map.of());
    }

    /** With extra metadata, which travels onto the events the command produces. */
    public <R> R send(EventId eventId, Object command, String userId, Map<String, ?> metadata) {
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(metadata).andMetaData(Map.of("userId", userId)));
        } catch (AggregateNotFoundException e) {
            throw new EventNotFound(eventId.toString());
        }
    }
}
