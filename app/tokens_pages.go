package app

import "github.com/gofiber/fiber/v2"

// showTokensPage is GET /account/tokens.
func (s *server) showTokensPage(c *fiber.Ctx) error {
	tokens, err := s.accounts.APITokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	def, most := s.accounts.TokenLifetimes()
	page := tokensPage{Page: s.page(c, "security.tokens.title"), DefaultDays: days(def), MaxDays: days(most)}
	for _, t := range tokenInfos(c, tokens) {
		row := tokenRow{ID: t.ID, Name: t.Name, Created: page.Time(t.CreatedAt), Expires: page.Time(t.ExpiresAt), Current: t.Current}
		if t.LastUsedAt != nil {
			row.LastUsed = page.Time(*t.LastUsedAt)
		}
		page.Tokens = append(page.Tokens, row)
	}
	return s.render(c, "pages/account/tokens", page)
}

// revokeTokenPage is POST /account/tokens/{id}/revoke.
func (s *server) revokeTokenPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeAPITokenOf(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return s.redirectWithFlash(c, tokensPagePath, "security.tokens.revoked")
}
