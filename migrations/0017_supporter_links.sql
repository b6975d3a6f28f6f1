-- Supporters' own links (docs/supporters.md): a nonce per supporter, signed into every link;
-- changing it revokes every link given out before. A supporter without a row has nonce "0".
CREATE TABLE supporter_link_nonces (
    supporter_id TEXT PRIMARY KEY REFERENCES supporters(id),
    nonce        TEXT NOT NULL,
    updated_at   INTEGER NOT NULL
) WITHOUT ROWID;
