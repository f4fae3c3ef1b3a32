DROP TRIGGER exchange_offers_themes_exist ON exchange_offers;
DROP FUNCTION exchange_offers_themes_exist();
