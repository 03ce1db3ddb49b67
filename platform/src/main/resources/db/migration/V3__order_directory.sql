-- Command side: which event (aggregate) and buyer an order belongs to, written in the same
-- transaction as its TicketsReserved; the unique key makes an Idempotency-Key reserve once.
CREATE TABLE order_directory (
    order_id         UUID         NOT NULL PRIMARY KEY,
    event_id         UUID         NOT NULL,
    user_id          VARCHAR(100) NOT NULL,
    idempotency_key  VARCHAR(255),
    request_hash     VARCHAR(64),
    reservation      VARCHAR(8000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT order_directory_idempotency UNIQUE (user_id, idempotency_key)
);
