-- Command side: each order's Stripe payment intent, and the Stripe events already handled
-- (webhooks are delivered at least once; an event id is acted on once).
ALTER TABLE order_directory ADD COLUMN payment_intent_id VARCHAR(255);

CREATE TABLE stripe_webhook_events (
    event_id    VARCHAR(255) NOT NULL PRIMARY KEY,
    type        VARCHAR(100) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Query side: an order's payment as the buyer sees it.
ALTER TABLE order_view ADD COLUMN payment_intent_id VARCHAR(255);
ALTER TABLE order_view ADD COLUMN payment_status VARCHAR(50);
ALTER TABLE order_view ADD COLUMN payment_last_error VARCHAR(1000);
