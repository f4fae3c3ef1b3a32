package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

// staticFiles serves the embedded static files with content-hashed URLs:
// /static/aula.css?v=<hash>. A URL with the current hash is cached for a
// year; a new build changes the hash, so browsers on slow links download a
// file once per release.
type staticFiles struct {
	files  map[string][]byte
	hashes map[string]string
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	sf := &staticFiles{files: map[string][]byte{}, hashes: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		sf.files[p] = data
		sf.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("app: load static files: %w", err)
	}
	return sf, nil
}

func (sf *staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + sf.hashes[name]
}

func (sf *staticFiles) serve(c *fiber.Ctx) error {
	name := c.Params("*")
	data, ok := sf.files[name]
	if !ok {
		return errNotFound
	}
	hash := sf.hashes[name]
	etag := `"` + hash + `"`
	c.Set(fiber.HeaderETag, etag)
	if c.Query("v") == hash {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		c.Set(fiber.HeaderContentType, ct)
	}
	return c.Send(data)
}
