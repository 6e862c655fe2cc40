package formats

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gloss-notes/gloss/annotations"
)

// The pictures that come with an article are kept beside it: an e-book's
// from its archive (epub.go), a local HTML or Markdown file's from its
// folder (here), a web page's from the web only when asked (web.go). Each
// is checked with annotations.CheckImage and named by
// annotations.ImageKey; its image span names it. A picture that is
// missing, damaged, of another kind (SVG, WebP…) or past the limits is
// skipped: the span stays, without a picture, as it was before pictures
// were kept. An article is never refused for its pictures.

// maxImageBytesPerArticle bounds the bytes read for the pictures of one
// file or book: a hundred pictures of 1 MB is a well-illustrated book,
// and a hostile one cannot make the reading cost more.
const maxImageBytesPerArticle = 100 << 20

// imageKeeper collects the pictures of one article within its limits.
type imageKeeper struct {
	images map[string][]byte
	// read is the bytes read for pictures so far, kept or not, and
	// budget how many may be.
	read, budget int64
	// tried remembers what each picture's address gave ("" for
	// nothing), so that a picture shown twice is read once.
	tried map[string]string
	// skipped counts the addresses tried that gave no picture.
	skipped int
}

func newImageKeeper(images map[string][]byte, budget int64) *imageKeeper {
	return &imageKeeper{images: images, budget: budget, tried: map[string]string{}}
}

// full reports whether no more pictures may be read: as many as an
// article may keep, or the bytes all spent.
func (k *imageKeeper) full() bool {
	return len(k.images) >= annotations.MaxImagesPerArticle || k.read >= k.budget
}

// limit is how many bytes the next picture may be: MaxImageBytes, or
// what is left of the budget.
func (k *imageKeeper) limit() int64 {
	return max(0, min(annotations.MaxImageBytes, k.budget-k.read))
}

// keep checks data, read for the picture at address, and keeps it when it
// is one: it returns its key, or "" when it is not kept.
func (k *imageKeeper) keep(address string, data []byte) string {
	k.read += int64(len(data))
	key := ""
	if _, _, err := annotations.CheckImage(data); err == nil {
		key = annotations.ImageKey(data)
		if _, ok := k.images[key]; !ok {
			if len(k.images) >= annotations.MaxImagesPerArticle {
				key = ""
			} else {
				if k.images == nil {
					k.images = map[string][]byte{}
				}
				k.images[key] = data
			}
		}
	}
	k.remember(address, key)
	return key
}

// remember notes what address gave.
func (k *imageKeeper) remember(address, key string) {
	k.tried[address] = key
	if key == "" {
		k.skipped++
	}
}

// keepImages gives each image span of s that has an address and no
// picture yet the picture read by fetch for it, within the keeper's
// limits. address turns a span's Href into the address fetch is given
// (and pictures are remembered by), "" when it is not one to read.
func (k *imageKeeper) keepImages(s *annotations.Structure, address func(href string) string, fetch func(address string, limit int64) ([]byte, error)) {
	if s == nil {
		return
	}
	for i := range s.Spans {
		sp := &s.Spans[i]
		if sp.Kind != annotations.SpanImage || sp.Href == "" || sp.Image != "" {
			continue
		}
		a := address(sp.Href)
		if a == "" {
			continue
		}
		if key, ok := k.tried[a]; ok {
			sp.Image = key
			continue
		}
		if k.full() {
			k.remember(a, "")
			continue
		}
		data, err := fetch(a, k.limit())
		if err != nil {
			k.remember(a, "")
			continue
		}
		sp.Image = k.keep(a, data)
	}
}

// keptImages is the pictures that s's spans name, nil for none: a
// picture whose span went (a structure dropped as a whole) is not kept.
func keptImages(s *annotations.Structure, images map[string][]byte) map[string][]byte {
	if s == nil || len(images) == 0 {
		return nil
	}
	out := map[string][]byte{}
	for _, sp := range s.Spans {
		if data, ok := images[sp.Image]; ok && sp.Image != "" {
			out[sp.Image] = data
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// errNotPicture is why a local picture is not read: its address is not a
// path in the article's folder, or what it names is not a regular file.
var errNotPicture = errors.New("not a picture in the article's folder")

// keepLocalImages keeps the pictures of a local HTML or Markdown article
// that sit in its folder dir or below it: those its image spans give by a
// relative path. Nothing else is read — no absolute path, file: or web
// address, nothing above dir, and no symbolic link leading out of it
// (os.Root refuses those) — and no device or pipe (only regular files
// are read).
func keepLocalImages(doc *Document, dir string) {
	if doc.Structure == nil || (doc.Format != annotations.FormatHTML && doc.Format != annotations.FormatMarkdown) {
		return
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return
	}
	defer root.Close()
	k := newImageKeeper(doc.Images, maxImageBytesPerArticle)
	k.keepImages(doc.Structure, localImagePath, func(name string, limit int64) ([]byte, error) {
		return readLocalImage(root, name, limit)
	})
	doc.Images = keptImages(doc.Structure, k.images)
}

// localImagePath is the path below the article's folder that an image's
// address names, in the system's form, or "" when it names no file there:
// a URL with a scheme or a host, an absolute path, a path going up.
func localImagePath(href string) string {
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	p := u.Path // unescaped: "my%20figure.png" is "my figure.png"
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) {
		return ""
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") || p == "." {
		return ""
	}
	p = filepath.FromSlash(p)
	if !filepath.IsLocal(p) {
		return "" // a drive letter, a reserved name on Windows
	}
	return p
}

// readLocalImage reads at most limit bytes of the regular file name under
// root, refusing a larger one.
func readLocalImage(root *os.Root, name string, limit int64) ([]byte, error) {
	// Opened without blocking, and checked once open: a named pipe
	// would wait for a writer.
	f, err := root.OpenFile(name, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errNotPicture
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrInvalid)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w", name, fs.ErrInvalid)
	}
	return data, nil
}
