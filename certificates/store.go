package certificates

import (
	"github.com/uptrace/bun"
)

// Store holds every query of the certificates package, on the database or
// inside a transaction (NewStore(tx)): the Service decides, the Store
// reads and writes. It maps sql.ErrNoRows to ErrNotFound.
type Store struct {
	db bun.IDB
}

// NewStore returns a Store on db, a *bun.DB or a bun.Tx.
func NewStore(db bun.IDB) *Store { return &Store{db: db} }
