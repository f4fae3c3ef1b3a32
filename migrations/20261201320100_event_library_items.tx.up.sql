-- An event cites library items (the reports its sessions discuss, the
-- experiences its speakers present): its organisers link them, and the
-- item's page lists the event back.
CREATE TABLE event_library_items (
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    item_id   bigint NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, item_id)
);
CREATE INDEX event_library_items_item_idx ON event_library_items (item_id);
