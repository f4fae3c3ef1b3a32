DROP TABLE event_library_items;
