-- Query side read models, built by the projections from the event store.
CREATE TABLE event_availability (
    event_id      UUID         NOT NULL PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    starts_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    currency      VARCHAR(3)   NOT NULL,
    max_attendees INT,
    members_only  BOOLEAN      NOT NULL,
    reserved      INT          NOT NULL,
    sold          INT          NOT NULL
);

CREATE TABLE tier_availability (
    tier_id     UUID         NOT NULL PRIMARY KEY,
    event_id    UUID         NOT NULL,
    position    INT          NOT NULL,
    name        VARCHAR(200) NOT NULL,
    price_cents BIGINT       NOT NULL,
    capacity    INT          NOT NULL,
    reserved    INT          NOT NULL,
    sold        INT          NOT NULL
);
CREATE INDEX tier_availability_event ON tier_availability (event_id, position);

CREATE TABLE order_view (
    order_id    UUID         NOT NULL PRIMARY KEY,
    event_id    UUID         NOT NULL,
    user_id     VARCHAR(100) NOT NULL,
    status      VARCHAR(30)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    total_cents BIGINT       NOT NULL,
    currency    VARCHAR(3)   NOT NULL,
    lines       VARCHAR(8000) NOT NULL,
    tickets     VARCHAR(100000)
);
CREATE INDEX order_view_user ON order_view (user_id, created_at DESC);
CREATE INDEX order_view_event_user ON order_view (event_id, user_id);
