package accounts

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Why a new password is refused. Each has its own message, so the person
// choosing it knows what to change.
var (
	// ErrPasswordTooShort: fewer than MinPasswordLength characters.
	ErrPasswordTooShort = errors.New("accounts: password is too short")
	// ErrPasswordCommon: the password is on the list of common and
	// breached passwords (or is one with digits around it), or a simple
	// pattern such as aaaaaaaaaa or 1234567890.
	ErrPasswordCommon = errors.New("accounts: password is common or a simple pattern")
	// ErrPasswordPersonal: the password is little more than the user's own
	// name or email address.
	ErrPasswordPersonal = errors.New("accounts: password is made of the user's name or email")
)

// commonPasswords is the 30,000 most common passwords of the list that
// zxcvbn ships (Dropbox's password-strength estimator, ported to Go by
// Trustelem; MIT licence), taken from Xato's corpus of ten million
// passwords that leaked in breaches, plus a few words of our own languages
// and of this site that attackers try first on it.
var commonPasswords = func() map[string]bool {
	list := frequency.FrequencyLists["passwords"]
	m := make(map[string]bool, len(list)+len(localCommon))
	for _, p := range list {
		m[p] = true
	}
	for _, p := range localCommon {
		m[p] = true
	}
	return m
}()

// localCommon are words the English list misses, in the folded form
// checkPassword compares (lower case, no accents, letters and digits).
var localCommon = []string{
	"aula", "aulaaula", "contrasena", "contrasenas", "clave", "clavesecreta", "secreto",
	"senha", "senhas", "palavrapasse", "segredo", "password", "motdepasse",
	"bienvenido", "bienvenida", "bemvindo", "bemvinda", "welcome",
	"admin", "administrador", "administradora", "administrator", "usuario", "utilizador",
	"seguridadsocial", "segurancasocial", "previdencia", "previdenciasocial",
}

// ValidatePassword reports why password may not be chosen by the user with
// this email and name, or nil. Every path that sets a password calls it:
// account creation, the admin's edit, the one-time link, and the
// installation's own admin from the environment.
//
// Length alone lets through "aaaaaaaaaa", "password12" and the user's own
// email. So the password is also compared, without case or accents, with
// the list of common passwords (also once digits around it are dropped:
// "dragon2024"), with runs and repeats ("1234567890", "abcabcabca"), and
// with what others know of the user: once the words of their name and
// email are taken out, something that is not itself weak must remain.
func ValidatePassword(password, email, name string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return ErrPasswordTooShort
	}
	folded := fold(password)
	if weakPassword(strings.ToLower(password)) || weakPassword(folded) {
		return ErrPasswordCommon
	}
	rest := folded
	for _, w := range personalWords(email, name) {
		rest = strings.ReplaceAll(rest, w, "")
	}
	if rest != folded && (len(rest) < 6 || weakPassword(rest) || strings.Trim(rest, "0123456789") == "") {
		return ErrPasswordPersonal
	}
	return nil
}

// weakPassword reports whether s is a common password, one with digits
// around it, or a run or repeat.
func weakPassword(s string) bool {
	if s == "" || commonPasswords[s] || repetitive(s) || sequential(s) {
		return true
	}
	core := strings.Trim(s, "0123456789")
	return core != s && core != "" && (commonPasswords[core] || repetitive(core) || sequential(core))
}

// repetitive reports whether s is one to four characters said again and
// again: "aaaaaaaaaa", "ababababab", "abcabcabca".
func repetitive(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= 4 && 2*unit <= len(r); unit++ {
		same := true
		for i := unit; i < len(r) && same; i++ {
			same = r[i] == r[i%unit]
		}
		if same {
			return true
		}
	}
	return false
}

// runs are the sequences keyboards and alphabets make, twice so that a run
// may wrap around ("7890123456").
const runs = "01234567890123456789" + "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"

// sequential reports whether s (three characters or more) is a run up or
// down the digits or the alphabet.
func sequential(s string) bool {
	if len(s) < 3 {
		return false
	}
	if strings.Contains(runs, s) {
		return true
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return strings.Contains(runs, string(r))
}

// personalWords are the folded words of an email address and a name that
// are long enough to count: "joao.conceicao@inss.pt" gives
// "joaoconceicaoinsspt", "joaoconceicao", "insspt", "joao", "conceicao"
// and "inss"; whole ones first, so they go out whole.
func personalWords(email, name string) []string {
	local, domain, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	var words []string
	add := func(w string) {
		if w = fold(w); len(w) >= 3 {
			words = append(words, w)
		}
	}
	add(email)
	add(local)
	add(domain)
	add(name)
	split := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
	for _, w := range strings.FieldsFunc(local, split) {
		add(w)
	}
	for _, w := range strings.FieldsFunc(name, split) {
		add(w)
	}
	labels := strings.Split(domain, ".")
	for _, w := range labels[:max(0, len(labels)-1)] { // not the "pt" of .pt
		add(w)
	}
	return words
}

// fold lower-cases s, strips its accents and keeps only letters and
// digits: "João Conceição!" becomes "joaoconceicao".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, out)
}
