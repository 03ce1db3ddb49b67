package dev.ticketing.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event store as it is stored, for auditors (checked in SecurityConfig): read straight from
 * Axon's table rather than through Axon, so nothing is upcast or interpreted on the way. Paged by
 * global index, which only grows, so a page never repeats or skips what an earlier page showed.
 */
@RestController
@Tag(name = ApiTags.AUDIT)
public class AuditEventsController {

    /** {@code type} and {@code revision} are the payload's; {@code eventIdentifier} is what metadata's ids refer to. */
    public record StoredEvent(long globalIndex, String aggregateId, long sequence, String type, String revision,
                              Instant timestamp, String eventIdentifier, JsonNode payload, JsonNode metadata) {
    }

    // lower-case unquoted names: the same SQL runs on PostgreSQL and on H2 (the standalone's default)
    private static final String COLUMNS = "SELECT globalindex, aggregateidentifier, sequencenumber, payloadtype, "
            + "payloadrevision, timestamp, eventidentifier, payload, metadata FROM domainevententry ";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public AuditEventsController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Oldest first; the next page starts after the last {@code globalIndex} of this one. */
    @Operation(operationId = "listStoredEvents", summary = "The stored events",
            description = "The event store as stored, oldest first, optionally of one aggregate; the next page "
                    + "starts after the last `globalIndex` of this one. Metadata carries `userId`, "
                    + "`correlationId` and `causationId`.")
    @ApiResponse(responseCode = "200", description = "A page of stored events")
    @GetMapping("/api/v1/audit/events")
    public List<StoredEvent> events(@RequestParam(required = false) String aggregateId,
                                    @RequestParam(defaultValue = "0") @Min(0) long afterGlobalIndex,
                                    @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<Object> arguments = new ArrayList<>(List.of(afterGlobalIndex));
        String where = "WHERE globalindex > ? ";
        if (aggregateId != null && !aggregateId.isBlank()) {   // "?aggregateId=" means every aggregate
            where += "AND aggregateidentifier = ? ";
            arguments.add(aggregateId);
        }
        arguments.add(limit);
        return jdbc.query(COLUMNS + where + "ORDER BY globalindex LIMIT ?", storedEvent(), arguments.toArray());
    }

    private RowMapper<StoredEvent> storedEvent() {
        return (row, i) -> new StoredEvent(row.getLong("globalindex"), row.getString("aggregateidentifier"),
                row.getLong("sequencenumber"), row.getString("payloadtype"), row.getString("payloadrevision"),
                Instant.parse(row.getString("timestamp")), row.getString("eventidentifier"),
                jsonOf(row.getBytes("payload")), jsonOf(row.getBytes("metadata")));
    }

    /** Axon's Jackson serializer stores JSON bytes; metadata may be absent. */
    private JsonNode jsonOf(byte[] bytes) {
        if (bytes == null) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("A stored event is not JSON", e);
        }
    }
}
