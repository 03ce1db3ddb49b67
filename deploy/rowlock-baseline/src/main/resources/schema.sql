-- The row-locking design's tables: counts of held seats on the event and tier rows, one row per pending order.
CREATE TABLE IF NOT EXISTS rowlock_event (
    id                    uuid PRIMARY KEY,
    name                  text   NOT NULL,
    currency              text   NOT NULL,
    max_attendees         int,             -- null: no event-wide limit
    max_tickets_per_order int    NOT NULL,
    held                  int    NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rowlock_tier (
    id          uuid PRIMARY KEY,
    event_id    uuid   NOT NULL REFERENCES rowlock_event,
    name        text   NOT NULL,
    price_cents bigint NOT NULL,
    capacity    int    NOT NULL,
    held        int    NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rowlock_order (
    id              uuid PRIMARY KEY,
    event_id        uuid        NOT NULL REFERENCES rowlock_event,
    buyer           text        NOT NULL,
    idempotency_key text,
    lines           jsonb       NOT NULL,   -- [{"tierId", "quantity", "unitPriceCents"}]
    tickets         int         NOT NULL,
    total_cents     bigint      NOT NULL,
    expires_at      timestamptz NOT NULL,
    UNIQUE (event_id, buyer),               -- one pending order per buyer and event (PENDING_ORDER_EXISTS)
    UNIQUE (buyer, idempotency_key)         -- the same key returns the same order
);
