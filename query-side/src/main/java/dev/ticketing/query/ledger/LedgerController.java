package dev.ticketing.query.ledger;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The ledger's account balances and journal, for organisers and auditors (checked in SecurityConfig). */
@RestController
public class LedgerController {

    public record Entry(String entryId, UUID orderId, UUID eventId, Instant at, String description, List<Line> lines) {
    }

    public record Line(String account, long debitCents, long creditCents) {
    }

    private final LedgerEntryRepository entries;

    public LedgerController(LedgerEntryRepository entries) {
        this.entries = entries;
    }

    /** Every account with its balance, by account name; the balances sum to 0. */
    @GetMapping("/api/v1/ledger/accounts")
    public List<AccountBalance> accounts() {
        return entries.balances();
    }

    @GetMapping("/api/v1/ledger/entries")
    public List<Entry> entries(@RequestParam(required = false) UUID eventId,
                               @RequestParam(required = false) UUID orderId) {
        return entries.journal(eventId, orderId).stream().map(LedgerController::entry).toList();
    }

    private static Entry entry(LedgerEntry entry) {
        return new Entry(entry.getEntryId(), entry.getOrderId(), entry.getEventId(), entry.getAt(),
                entry.getDescription(), entry.getLines().stream()
                .map(line -> new Line(line.getAccount(), line.getDebitCents(), line.getCreditCents()))
                .toList());
    }
}
