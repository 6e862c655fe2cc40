package annotations

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	// The formats a stored picture may be in: what articles carry.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Bounds on the pictures kept with an article: each file's size, its
// pixels once decoded (a small file can decode to gigabytes), and how many
// one article keeps.
const (
	MaxImageBytes       = 8 << 20
	MaxImagePixels      = 40_000_000
	MaxImagesPerArticle = 500
)

// ErrImage is returned for a picture that cannot be kept: not PNG, JPEG
// or GIF, damaged, or over the bounds.
var ErrImage = errors.New("picture cannot be kept")

// ImageKey is how a stored picture is named: "sha256:" and the hex digest
// of its bytes. A span of kind SpanImage names its picture by it.
func ImageKey(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// validImageKey reports whether k has the form ImageKey gives.
func validImageKey(k string) bool {
	h, ok := strings.CutPrefix(k, "sha256:")
	if !ok || len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// CheckImage reads a picture's header: it must be PNG, JPEG or GIF, within
// MaxImageBytes and, decoded, within MaxImagePixels. It returns its size
// in pixels.
func CheckImage(data []byte) (width, height int, err error) {
	if len(data) > MaxImageBytes {
		return 0, 0, fmt.Errorf("%w: %d bytes (at most %d MB)", ErrImage, len(data), MaxImageBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, fmt.Errorf("%w: not a PNG, JPEG or GIF picture (%v)", ErrImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return 0, 0, fmt.Errorf("%w: a %s of %d × %d pixels", ErrImage, format, cfg.Width, cfg.Height)
	}
	return cfg.Width, cfg.Height, nil
}

// checkImages checks the pictures given with an article: each named by
// its ImageKey, each a picture CheckImage accepts, and every picture a
// span names among them. It returns the structure with each picture's
// size in pixels on the spans that name it (a copy; s itself is left
// as it is), so that the view can make room for a picture before it is
// decoded.
func checkImages(images map[string][]byte, s *Structure) (*Structure, error) {
	if len(images) > MaxImagesPerArticle {
		return nil, fmt.Errorf("%w: %d pictures (at most %d)", ErrInvalidArticle, len(images), MaxImagesPerArticle)
	}
	type size struct{ w, h int }
	sizes := make(map[string]size, len(images))
	for k, data := range images {
		if ImageKey(data) != k {
			return nil, fmt.Errorf("%w: a picture is not named by its hash", ErrInvalidArticle)
		}
		w, h, err := CheckImage(data)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalidArticle, err)
		}
		sizes[k] = size{w, h}
	}
	if s == nil {
		return nil, nil
	}
	out := &Structure{Blocks: s.Blocks, Spans: slices.Clone(s.Spans)}
	for i, sp := range out.Spans {
		if sp.Image == "" {
			continue
		}
		sz, ok := sizes[sp.Image]
		if !ok {
			return nil, fmt.Errorf("%w: a picture named in the article's structure was not given", ErrInvalidArticle)
		}
		out.Spans[i].Width, out.Spans[i].Height = sz.w, sz.h
	}
	return out, nil
}

// putImages keeps an article's pictures, in key order.
func putImages(w Writer, id uuid.UUID, images map[string][]byte) error {
	for _, k := range slices.Sorted(maps.Keys(images)) {
		if err := w.PutArticleImage(id, k, images[k]); err != nil {
			return err
		}
	}
	return nil
}

// ArticleImage returns a picture kept with an article, by its ImageKey.
func (s *Service) ArticleImage(id uuid.UUID, key string) ([]byte, error) {
	var data []byte
	err := s.store.View(func(r Reader) error {
		var err error
		data, err = r.ArticleImage(id, key)
		return err
	})
	return data, err
}
