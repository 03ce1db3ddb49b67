package dev.ticketing.query.ledger;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import org.springframework.data.domain.Persistable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A journal entry: one business fact as debit and credit lines that balance. {@code entryId}
 * names the fact (e.g. {@code confirmed:{orderId}}), so the fact is booked once however often
 * its event is delivered.
 */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry implements Persistable<String> {

    @Id
    @Column(name = "entry_id")
    private String entryId;
    @Column(name = "order_id")
    private UUID orderId;
    @Column(name = "event_id")
    private UUID eventId;
    private Instant at;
    private String description;
    /** Given by the database on insert: the booking order. */
    @Column(insertable = false, updatable = false)
    private Long position;
    @ElementCollection
    @CollectionTable(name = "ledger_line", joinColumns = @JoinColumn(name = "entry_id"))
    @OrderBy("id")
    private List<LedgerLine> lines;

    protected LedgerEntry() {
    }

    LedgerEntry(String entryId, UUID orderId, UUID eventId, Instant at, String description, List<LedgerLine> lines) {
        long debits = lines.stream().mapToLong(LedgerLine::getDebitCents).sum();
        long credits = lines.stream().mapToLong(LedgerLine::getCreditCents).sum();
        if (debits != credits) {
            throw new IllegalArgumentException("Entry " + entryId + " does not balance: debits " + debits
                    + ", credits " + credits);
        }
        this.entryId = entryId;
        this.orderId = orderId;
        this.eventId = eventId;
        this.at = at;
        this.description = description;
        this.lines = new ArrayList<>(lines);
    }

    @Override
    public String getId() {
        return entryId;
    }

    /** Unsaved until the database gives it a position: save() persists it without a merge's select. */
    @Override
    public boolean isNew() {
        return position == null;
    }

    public String getEntryId() {
        return entryId;
    }

    public UUID getOrderId() {
        return orderId;
    }

    public UUID getEventId() {
        return eventId;
    }

    public Instant getAt() {
        return at;
    }

    public String getDescription() {
        return description;
    }

    public List<LedgerLine> getLines() {
        return lines;
    }
}
