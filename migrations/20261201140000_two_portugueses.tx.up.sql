-- The interface speaks two Portugueses: pt-BR and pt-PT replace pt. A user
-- who had chosen pt gets the one of their institution's country: Portugal
-- and the countries whose Portuguese follows its norm (CLDR's children of
-- pt_PT: Angola, Cape Verde, Guinea-Bissau, Mozambique, São Tomé and
-- Príncipe, East Timor, Macau, Equatorial Guinea, Switzerland, Luxembourg)
-- get pt-PT; everyone else, Brazil and people with no institution, pt-BR,
-- which is what a bare "pt" means in CLDR. Users switch in one click.
ALTER TABLE users DROP CONSTRAINT users_locale_check;

UPDATE users u SET locale = CASE
        WHEN i.country IN ('PT', 'AO', 'CV', 'GW', 'MZ', 'ST', 'TL', 'MO', 'GQ', 'CH', 'LU') THEN 'pt-PT'
        ELSE 'pt-BR'
    END
FROM users v LEFT JOIN institutions i ON i.id = v.institution_id
WHERE v.id = u.id AND u.locale = 'pt';

-- The list is locales.UI; accounts' tests store each of its locales.
ALTER TABLE users ADD CONSTRAINT users_locale_check
    CHECK (locale IN ('en', 'es', 'pt-BR', 'pt-PT'));
