package app

import (
	"log/slog"
	"sync"
	"time"

	"github.com/aula-platform/aula/accounts"
	"github.com/aula-platform/aula/locales"
)

// Pages write every time through Page.Time and Page.Date, in the viewer's
// time zone (their setting, else the installation's) and in their locale's
// format; the API keeps RFC 3339 in UTC, which programs convert
// themselves (docs/time-zones.md).

// Time writes a moment for the page's viewer, with the zone it is in:
// "26/11/2026 22:30 UTC-5", "26 Nov 2026, 22:30 UTC-5".
func (p Page) Time(t time.Time) string { return locales.FormatDateTime(t.In(p.location()), p.Lang) }

// Date writes the calendar date of a moment in the viewer's zone, in words:
// a course completed at 03:30 UTC was completed the day before in Lima.
func (p Page) Date(t time.Time) string { return locales.FormatDate(t.In(p.location()), p.Lang) }

// TimeZone names the zone the page shows times in ("America/Lima").
func (p Page) TimeZone() string { return p.location().String() }

func (p Page) location() *time.Location {
	if p.loc == nil {
		return time.UTC
	}
	return p.loc
}

// zoneCache keeps the time zones once loaded: time.LoadLocation reads and
// parses the zone's file on every call.
var zoneCache sync.Map // IANA name → *time.Location

// loadZone is accounts.LoadTimeZone, cached; name is not "".
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := accounts.LoadTimeZone(name)
	if err != nil {
		return nil, err
	}
	zoneCache.Store(name, loc)
	return loc, nil
}

// viewerLocation is the zone u reads times in: their setting, else the
// installation's (also for visitors who are not signed in).
func (s *server) viewerLocation(u *accounts.User) *time.Location {
	if u == nil || u.TimeZone == "" {
		return s.cfg.Location
	}
	loc, err := loadZone(u.TimeZone)
	if err != nil {
		// Stored when valid, but a zone can leave the database of a later
		// Go release: the user still gets the pages, in the installation's.
		s.log.Warn("app: unknown stored time zone", slog.Int64("user", u.ID), slog.String("time_zone", u.TimeZone))
		return s.cfg.Location
	}
	return loc
}

// zoneSelect is a <select> of time zones with its labels written for one
// page: first the installation's zone (the value ""), then the network's
// zones by country, then any other zone the form must keep.
type zoneSelect struct {
	Default   string
	Installed bool // the installation's zone is the one chosen
	Groups    []zoneGroup
}

// zoneGroup is one <optgroup> of a zoneSelect: a country's zones.
type zoneGroup struct {
	Label   string
	Options []zoneOption
}

// zoneOption is one zone a zoneSelect offers.
type zoneOption struct {
	Value, Label string
	Selected     bool
}

// zoneSelect offers networkZones, each with its offset today (Madrid is
// UTC+1 in winter, CEST in summer), and the values keep names (the user's
// stored zone, what a refused form sent) so that they are shown as they are.
func (s *server) zoneSelect(p Page, selected string, keep ...string) zoneSelect {
	now := s.now()
	home := s.cfg.Location
	out := zoneSelect{Default: p.T("times.zone.installation", home.String(), locales.ZoneLabel(now.In(home))), Installed: selected == ""}
	listed := map[string]bool{}
	for _, z := range networkZones {
		label := "UTC"
		if z.Country != "" {
			label = p.T("times.country." + z.Country)
		}
		if n := len(out.Groups); n == 0 || out.Groups[n-1].Label != label {
			out.Groups = append(out.Groups, zoneGroup{Label: label})
		}
		opt := zoneOption{Value: z.Name, Label: z.City, Selected: z.Name == selected}
		if loc, err := loadZone(z.Name); err == nil && z.Name != "UTC" {
			opt.Label += " (" + locales.ZoneLabel(now.In(loc)) + ")"
		}
		g := &out.Groups[len(out.Groups)-1]
		g.Options = append(g.Options, opt)
		listed[z.Name] = true
	}
	other := zoneGroup{Label: p.T("times.zone.other")}
	for _, name := range append([]string{selected}, keep...) {
		if name == "" || listed[name] {
			continue
		}
		listed[name] = true
		opt := zoneOption{Value: name, Label: name, Selected: name == selected}
		if loc, err := loadZone(name); err == nil {
			opt.Label += " (" + locales.ZoneLabel(now.In(loc)) + ")"
		}
		other.Options = append(other.Options, opt)
	}
	if len(other.Options) > 0 {
		out.Groups = append(out.Groups, other)
	}
	return out
}

// zoneChoice is one time zone the account page offers.
type zoneChoice struct {
	Country string // ISO 3166-1 code, "" for UTC
	Name    string // IANA name
	City    string // as the place writes itself
}

// networkZones are the zones of the network's countries, in the account
// page's order: the Americas from Mexico to Argentina with Brazil's four
// offsets, Spain and the Canaries, Portugal and the Azores, the
// Portuguese-speaking countries of Africa and Asia, and UTC. Any other
// IANA name may still be set through the API or by an admin; the page
// then offers it too.
var networkZones = []zoneChoice{
	{"MX", "America/Mexico_City", "Ciudad de México"},
	{"MX", "America/Cancun", "Cancún"},
	{"MX", "America/Mazatlan", "Mazatlán"},
	{"MX", "America/Tijuana", "Tijuana"},
	{"GT", "America/Guatemala", "Guatemala"},
	{"SV", "America/El_Salvador", "San Salvador"},
	{"HN", "America/Tegucigalpa", "Tegucigalpa"},
	{"NI", "America/Managua", "Managua"},
	{"CR", "America/Costa_Rica", "San José"},
	{"PA", "America/Panama", "Panamá"},
	{"CU", "America/Havana", "La Habana"},
	{"DO", "America/Santo_Domingo", "Santo Domingo"},
	{"PR", "America/Puerto_Rico", "San Juan"},
	{"CO", "America/Bogota", "Bogotá"},
	{"VE", "America/Caracas", "Caracas"},
	{"EC", "America/Guayaquil", "Quito, Guayaquil"},
	{"EC", "Pacific/Galapagos", "Galápagos"},
	{"PE", "America/Lima", "Lima"},
	{"BO", "America/La_Paz", "La Paz"},
	{"BR", "America/Noronha", "Fernando de Noronha"},
	{"BR", "America/Sao_Paulo", "Brasília, São Paulo"},
	{"BR", "America/Manaus", "Manaus"},
	{"BR", "America/Rio_Branco", "Rio Branco"},
	{"PY", "America/Asuncion", "Asunción"},
	{"CL", "America/Santiago", "Santiago"},
	{"CL", "America/Punta_Arenas", "Punta Arenas"},
	{"CL", "Pacific/Easter", "Rapa Nui"},
	{"AR", "America/Argentina/Buenos_Aires", "Buenos Aires"},
	{"UY", "America/Montevideo", "Montevideo"},
	{"ES", "Europe/Madrid", "Madrid"},
	{"ES", "Atlantic/Canary", "Canarias"},
	{"PT", "Europe/Lisbon", "Lisboa"},
	{"PT", "Atlantic/Azores", "Açores"},
	{"CV", "Atlantic/Cape_Verde", "Praia"},
	{"GW", "Africa/Bissau", "Bissau"},
	{"ST", "Africa/Sao_Tome", "São Tomé"},
	{"GQ", "Africa/Malabo", "Malabo"},
	{"AO", "Africa/Luanda", "Luanda"},
	{"MZ", "Africa/Maputo", "Maputo"},
	{"TL", "Asia/Dili", "Díli"},
	{"MO", "Asia/Macau", "Macau"},
	{"", "UTC", "UTC"},
}
