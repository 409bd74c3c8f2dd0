-- WhatsApp inbound messages, stored before the webhook is acknowledged. `wamid` is unique:
-- Meta redelivers for days, and a message is processed once, ever.
CREATE TABLE whatsapp_inbox (
    id BIGSERIAL PRIMARY KEY,
    wamid TEXT NOT NULL UNIQUE,
    sender_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at DOUBLE PRECISION NOT NULL,
    processed_at DOUBLE PRECISION
);
-- Start-up and each sender's drain look for the unprocessed rows, oldest first.
CREATE INDEX whatsapp_inbox_pending ON whatsapp_inbox (sender_id, processed_at, id);

-- Replies to send through the Graph API, retried until sent or failed for good.
CREATE TABLE whatsapp_outbox (
    id BIGSERIAL PRIMARY KEY,
    recipient TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at DOUBLE PRECISION NOT NULL,
    error TEXT,
    wamid TEXT,
    created_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX whatsapp_outbox_pending ON whatsapp_outbox (status, recipient, id);

-- Delivery statuses Meta reports per outbound message (sent, delivered, read, failed).
CREATE TABLE whatsapp_statuses (
    wamid TEXT NOT NULL,
    status TEXT NOT NULL,
    recipient TEXT,
    timestamp TEXT,
    errors TEXT,
    PRIMARY KEY (wamid, status)
);
