-- Back to one Portuguese: both become pt.
ALTER TABLE users DROP CONSTRAINT users_locale_check;
UPDATE users SET locale = 'pt' WHERE locale IN ('pt-BR', 'pt-PT');
ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('es', 'pt', 'en'));
