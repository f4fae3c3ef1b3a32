DROP TABLE exchange_offer_files;
