package dev.ticketing.command.inventory;

import dev.ticketing.api.EventId;
import dev.ticketing.api.rejection.EventNotFound;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Sends commands to an event's inventory on behalf of a user: the user id goes into the
 * metadata (and from there onto the events), and an unknown event becomes EVENT_NOT_FOUND.
 * <p>
 * With several command nodes, another node may have appended to the inventory since this node
 * cached it: the append then fails on the event store's (aggregate, sequence) key, nothing of the
 * command is kept (its transaction, deadlines included, rolls back, and the stale copy leaves the
 * cache) and the command is decided again on the inventory loaded afresh.
 */
@Component
public class InventoryCommands {

    private static final Logger log = LoggerFactory.getLogger(InventoryCommands.class);
    /** Each retry loads the newest state; losing more often than this means a node is hot-looping on it. */
    static final int ATTEMPTS = 5;

    private final CommandGateway gateway;

    public InventoryCommands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(EventId eventId, Object command, String userId) {
        return send(eventId, command, userId, Map.of());
    }

    /** With extra metadata, which travels onto the events the command produces. */
    public <R> R send(EventId eventId, Object command, String userId, Map<String, ?> metadata) {
        for (int attempt = 1; ; attempt++) {
            try {
                return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                        .andMetaData(metadata).andMetaData(Map.of("userId", userId)));
            } catch (AggregateNotFoundException e) {
                throw new EventNotFound(eventId.toString());
            } catch (AggregateStreamCreationException sameIdTwice) {
                throw sameIdTwice;   // a new inventory's id is fresh: deciding again would not help
            } catch (ConcurrencyException lost) {
                if (attempt == ATTEMPTS) {
                    throw lost;
                }
                log.info("Event {}: another node changed the inventory first; deciding {} again (attempt {})",
                        eventId, command.getClass().getSimpleName(), attempt + 1);
            }
        }
    }
}
