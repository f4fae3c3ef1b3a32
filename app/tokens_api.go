package app

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/aula-platform/aula/accounts"
)

// tokenInfo is one of the caller's API tokens as the list shows it; the
// token itself is never shown again.
type tokenInfo struct {
	accounts.APIToken
	// Current is the token this request came with.
	Current bool `json:"current"`
}

// tokenInfos marks which of a user's tokens the request came with.
func tokenInfos(c *fiber.Ctx, tokens []accounts.APIToken) []tokenInfo {
	current, _ := c.Locals(localAPIToken).(string)
	var hash []byte
	if current != "" {
		hash = accounts.HashSecret(current)
	}
	out := make([]tokenInfo, len(tokens))
	for i, t := range tokens {
		out[i] = tokenInfo{APIToken: t, Current: hash != nil && string(hash) == string(t.TokenHash)}
	}
	return out
}

// listTokens is GET /api/v1/tokens: the caller's tokens that still work.
func (s *server) listTokens(c *fiber.Ctx) error {
	tokens, err := s.accounts.APITokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	infos := tokenInfos(c, tokens)
	return c.JSON(list[tokenInfo]{Items: infos, Total: len(infos)})
}

// revokeTokenByID is DELETE /api/v1/tokens/{id}: one of the caller's own
// tokens; another's is 404.
func (s *server) revokeTokenByID(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeAPITokenOf(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type tokensPage struct {
	Page
	Tokens []tokenRow
	// DefaultDays and MaxDays are the installation's token lifetimes.
	DefaultDays, MaxDays int
}

// tokenRow is a token as the page prints it.
type tokenRow struct {
	ID                         int64
	Name                       string
	Created, Expires, LastUsed string
	Current                    bool
}

// tokensPagePath is where a user sees and revokes their API tokens.
const tokensPagePath = "/account/tokens"

func days(d time.Duration) int { return int(d.Hours() / 24) }

// createToken exchanges an email and password for an API token.
func (s *server) createToken(c *fiber.Ctx) error {
	var form tokenRequest
	if err := parseBody(c, &form); err != nil {
		return err
	}
	if err := s.signInAllowed(c, form.Email); err != nil {
		return err
	}
	u, err := s.accounts.Authenticate(c.UserContext(), form.Email, form.Password)
	if errors.Is(err, accounts.ErrInvalidCredentials) {
		if ferr := s.signInFailed(c, form.Email); ferr != nil {
			return ferr
		}
	}
	if err != nil {
		return err
	}
	token, t, err := s.accounts.IssueAPIToken(c.UserContext(), u.ID, accounts.CreateAPITokenParams{
		Name: form.Name, Lifetime: time.Duration(form.ExpiresInDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(tokenResponse{Token: token, ID: t.ID, ExpiresAt: t.ExpiresAt, User: u})
}

// revokeToken revokes the token the request came with.
func (s *server) revokeToken(c *fiber.Ctx) error {
	token, ok := c.Locals(localAPIToken).(string)
	if !ok {
		return errUnauthorized
	}
	if err := s.accounts.RevokeAPIToken(c.UserContext(), token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
