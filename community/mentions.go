package community

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/aula-platform/aula/accounts"
)

// Mentions name members in a post: "@" and their name as it is written,
// "@Ana Peña" or "@ana pena" (accents and case do not matter). Names have
// spaces, so each "@" is followed by up to maxMentionWords words and the
// longest run of them that is someone's name wins: "@Ana Peña, thanks"
// names Ana Peña rather than an Ana. An "@" inside a word (an email
// address) mentions nobody.
const (
	maxMentionWords = 4
	// maxMentions caps the "@"s of one post that are looked up.
	maxMentions = 20
)

// mentionCandidates returns, for every "@" of text that may start a
// mention, the runs of 1 to maxMentionWords words after it, longest first.
func mentionCandidates(text string) [][]string {
	var out [][]string
	for i := 0; i < len(text) && len(out) < maxMentions; i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if isNameRune(prev) {
				continue // ana@example.org
			}
		}
		words := nameWords(text[i+1:])
		if len(words) == 0 {
			continue
		}
		runs := make([]string, 0, len(words))
		for n := len(words); n >= 1; n-- {
			runs = append(runs, strings.Join(words[:n], " "))
		}
		out = append(out, runs)
	}
	return out
}

// nameWords returns up to maxMentionWords words at the start of s, which
// may be separated by single spaces only.
func nameWords(s string) []string {
	var words []string
	for len(words) < maxMentionWords {
		end := strings.IndexFunc(s, func(r rune) bool { return !isNameRune(r) })
		if end < 0 {
			end = len(s)
		}
		if end == 0 {
			break
		}
		words = append(words, s[:end])
		s = s[end:]
		if !strings.HasPrefix(s, " ") {
			break
		}
		s = s[1:]
	}
	return words
}

// isNameRune reports whether r may be part of a word of a name: letters
// with their accents, digits, and the apostrophes and hyphens of names
// like D'Ávila or Ana-Lúcia.
func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-'
}

// mentioned returns the members text names, read on db: for each "@", the
// members called by its longest run of words that is someone's name.
func mentioned(ctx context.Context, db bun.IDB, text string) ([]int64, error) {
	cands := mentionCandidates(text)
	if len(cands) == 0 {
		return nil, nil
	}
	var all []string
	for _, runs := range cands {
		all = append(all, runs...)
	}
	named, err := accounts.MembersNamed(ctx, db, all)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, runs := range cands {
		for _, run := range runs {
			if ms := named[run]; len(ms) > 0 {
				for _, m := range ms {
					ids = append(ids, m.ID)
				}
				break
			}
		}
	}
	return uniqueIDs(ids), nil
}
