package dev.ticketing.query.ledger;

/** An account's debits minus its credits: positive for assets and expenses, negative for income. */
public record AccountBalance(String account, long balanceCents) {
}
