package dev.ticketing.query.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * One side of a journal entry: an amount debited or credited to an account. Part of its entry (an
 * element collection): rows without an id of Hibernate's to generate can be inserted in batches.
 */
@Embeddable
public class LedgerLine {

    /** Given by the database on insert; only orders an entry's lines. */
    @Column(insertable = false, updatable = false)
    private Long id;
    private String account;
    @Column(name = "debit_cents")
    private long debitCents;
    @Column(name = "credit_cents")
    private long creditCents;

    protected LedgerLine() {
    }

    private LedgerLine(String account, long debitCents, long creditCents) {
        if (debitCents < 0 || creditCents < 0) {
            throw new IllegalArgumentException("Negative amount on " + account + ": " + debitCents + "/" + creditCents);
        }
        this.account = account;
        this.debitCents = debitCents;
        this.creditCents = creditCents;
    }

    static LedgerLine debit(String account, long cents) {
        return new LedgerLine(account, cents, 0);
    }

    static LedgerLine credit(String account, long cents) {
        return new LedgerLine(account, 0, cents);
    }

    public String getAccount() {
        return account;
    }

    public long getDebitCents() {
        return debitCents;
    }

    public long getCreditCents() {
        return creditCents;
    }
}
