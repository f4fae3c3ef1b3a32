DROP TABLE IF EXISTS asset_renditions;
