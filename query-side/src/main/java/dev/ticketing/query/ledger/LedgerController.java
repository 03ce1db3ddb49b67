package dev.ticketing.query.ledger;

import dev.ticketing.platform.openapi.ApiTags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The ledger's account balances and journal, for organisers and auditors (checked in SecurityConfig). */
@RestController
@Tag(name = ApiTags.LEDGER)
public class LedgerController {

    @Schema(name = "LedgerEntry")
    public record Entry(String entryId, UUID orderId, UUID eventId, Instant at, String description, List<Line> lines) {
    }

    @Schema(name = "LedgerLine")
    public record Line(String account, long debitCents, long creditCents) {
    }

    private final LedgerEntryRepository entries;

    public LedgerController(LedgerEntryRepository entries) {
        this.entries = entries;
    }

    /** Every account with its balance, by account name; the balances sum to 0. */
    @Operation(operationId = "listLedgerAccounts", summary = "Account balances",
            description = "Every account (`stripe_clearing`, `ticket_revenue:{eventId}`, `stripe_fees`, "
                    + "`refunds:{eventId}`, ...) with its balance: debits positive, credits negative; they sum to 0.")
    @ApiResponse(responseCode = "200", description = "The balances")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the ledger read model is "
            + "being rebuilt (a replay); try again after Retry-After")
    @GetMapping("/api/v1/ledger/accounts")
    public List<AccountBalance> accounts() {
        return entries.balances();
    }

    @Operation(operationId = "listLedgerEntries", summary = "Journal entries",
            description = "The journal, optionally of one event or one order; every entry balances.")
    @ApiResponse(responseCode = "200", description = "The entries")
    @ApiResponse(responseCode = "503", description = "READ_MODEL_REBUILDING: the ledger read model is "
            + "being rebuilt (a replay); try again after Retry-After")
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
