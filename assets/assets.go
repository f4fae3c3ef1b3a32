// Package assets embeds what the binary serves or draws with: static files
// (CSS, images), page templates, message catalogs and fonts. Nothing here is
// read from disk at run time, so one binary is the whole deployment.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

//go:embed templates
var templates embed.FS

//go:embed i18n
var i18nFiles embed.FS

// Static holds the files served under /static/.
var Static = mustSub(static, "static")

// Templates holds the page templates (partials/*.html and pages/**/*.html).
var Templates = mustSub(templates, "templates")

// I18n holds the message catalogs: <lang>/<area>.json, one folder per interface locale (locales.UI).
var I18n = mustSub(i18nFiles, "i18n")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // only when the embed directive above is wrong
	}
	return sub
}
