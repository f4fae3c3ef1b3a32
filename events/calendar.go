package events

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// FeedToken returns the token of the user's personal calendar feed,
// making one the first time; reset replaces it, so an old feed URL that
// was shared stops working.
func (s *Service) FeedToken(ctx context.Context, userID int64, reset bool) (string, error) {
	st := NewStore(s.db)
	if !reset {
		token, err := st.Feed(ctx, userID)
		if err == nil {
			return token, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return "", fmt.Errorf("events: feed of %d: %w", userID, err)
		}
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("events: feed token: %w", err)
	}
	token, err := st.SetFeed(ctx, userID, base64.RawURLEncoding.EncodeToString(b), !reset)
	if err != nil {
		return "", fmt.Errorf("events: feed of %d: %w", userID, err)
	}
	return token, nil
}

// Feed returns what the personal calendar feed with token shows: the
// events its owner has a place in or waits for (pending and waitlisted
// too, so the dates are kept free), with their sessions. An unknown token
// is ErrNotFound.
func (s *Service) Feed(ctx context.Context, token string) ([]MyRegistration, error) {
	userID, err := NewStore(s.db).FeedUser(ctx, token)
	if err != nil {
		return nil, fmt.Errorf("events: feed: %w", err)
	}
	regs, err := s.MyRegistrations(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := regs[:0]
	for _, r := range regs {
		if r.Event.Status != StatusDraft {
			out = append(out, r)
		}
	}
	return out, nil
}
