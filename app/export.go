package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// exportFormat is one choice of the Export dialog.
type exportFormat struct {
	label, ext string
	write      func(*bytes.Buffer, annotations.Bundle, annotations.ColorLabels) error
}

var exportFormats = []exportFormat{
	{"Markdown (notes vaults, reading)", ".md", func(b *bytes.Buffer, x annotations.Bundle, l annotations.ColorLabels) error {
		return formats.WriteMarkdown(b, x, l, nil)
	}},
	{"CSV (spreadsheets, pandas)", ".csv", func(b *bytes.Buffer, x annotations.Bundle, l annotations.ColorLabels) error {
		return formats.WriteCSV(b, x, l)
	}},
	{"W3C Web Annotation (JSON-LD)", ".jsonld", func(b *bytes.Buffer, x annotations.Bundle, l annotations.ColorLabels) error {
		return formats.WriteW3C(b, x, l, time.Now())
	}},
	{"Gloss JSON (a complete copy, with the texts)", ".json", func(b *bytes.Buffer, x annotations.Bundle, _ annotations.ColorLabels) error {
		return formats.WriteNative(b, x, time.Now())
	}},
}

// maxExportHits bounds an export of what the search finds.
const maxExportHits = 10_000_000

// Export scopes.
const (
	scopeArticle = "This article"
	scopeFilter  = "The current filter"
	scopeSearch  = "What the search finds"
	scopeAll     = "Everything"
)

// onExport asks what to export and where, then writes it off the UI thread
// with a progress dialog.
func (u *ui) onExport() {
	labels := make([]string, len(exportFormats))
	for i, f := range exportFormats {
		labels[i] = f.label
	}
	format := widget.NewSelect(labels, nil)
	format.SetSelectedIndex(0)
	scopes := []string{scopeArticle, scopeFilter, scopeSearch, scopeAll}
	if u.article == nil {
		scopes = scopes[1:]
	}
	if !u.filter.active() {
		scopes = removeString(scopes, scopeFilter)
	}
	if strings.TrimSpace(u.search.entry.Text) == "" {
		scopes = removeString(scopes, scopeSearch)
	}
	scope := widget.NewRadioGroup(scopes, nil)
	scope.SetSelected(scopes[0])
	form := widget.NewForm(widget.NewFormItem("Format", format), widget.NewFormItem("Export", scope))
	d := dialog.NewCustomConfirm("Export highlights", "Choose a file…", "Cancel", form, func(ok bool) {
		if ok {
			u.prepareExport(exportFormats[format.SelectedIndex()], scope.Selected)
		}
	}, u.win)
	d.Resize(fyne.NewSize(520, 0))
	u.show(d, true)
}

func (u *ui) exportFilter(scope string, format exportFormat) annotations.ExportFilter {
	// Gloss JSON is a complete copy, the trash included; the formats for
	// other tools leave the trash out.
	f := annotations.ExportFilter{SkipTrash: format.ext != ".json"}
	switch scope {
	case scopeArticle:
		if u.article != nil {
			f.ArticleIDs = []uuid.UUID{u.article.ID}
		}
	case scopeSearch:
		f.Only = map[uuid.UUID]bool{}
		hits, _ := u.finder.Search(u.search.entry.Text, maxExportHits)
		for _, h := range hits {
			f.Only[h.ID] = true
		}
	case scopeFilter:
		if u.filter.tag != "" {
			f.Tags = []string{u.filter.tag}
		}
		if u.filter.color != "" {
			f.Colors = []annotations.Color{u.filter.color}
		}
		f.Author = u.filter.author
	}
	return f
}

// prepareExport renders the export off the UI thread, with a progress
// dialog, and only then asks where to save it: Fyne's save dialog empties
// the chosen file as it hands it over, so nothing may fail after that but
// the write itself.
func (u *ui) prepareExport(format exportFormat, scope string) {
	name := "gloss-export"
	if scope == scopeArticle && u.article != nil {
		name = safeFileName(u.article.Title)
	}
	f := u.exportFilter(scope, format)
	progress := dialog.NewCustomWithoutButtons("Exporting", container.NewVBox(widget.NewLabel("Gathering the highlights…"), widget.NewProgressBarInfinite()), u.win)
	u.show(progress, false)
	u.background(func() {
		data, n, err := renderExport(u.svc, format, f)
		fyne.Do(func() {
			progress.Hide()
			if err != nil {
				u.showError(err)
				return
			}
			u.saveExport(data, n, name+format.ext, format.ext)
		})
	})
}

// saveExport asks for a file and writes data to it.
func (u *ui) saveExport(data []byte, n int, name, ext string) {
	u.chooseFile("Save the export", true, []string{ext}, "", name, func(path string) {
		err := u.writeFile(path, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err != nil {
			u.showError(err)
			return
		}
		u.setStatus(fmt.Sprintf("Exported %d highlight%s to %s.", n, plural(n), path))
	})
}

// renderExport writes the annotations f selects in format, in memory, and
// returns how many there are.
func renderExport(svc *annotations.Service, format exportFormat, f annotations.ExportFilter) ([]byte, int, error) {
	b, err := svc.Export(f)
	if err != nil {
		return nil, 0, err
	}
	if len(b.Annotations) == 0 && format.ext != ".json" {
		return nil, 0, errors.New("there is nothing to export: no highlights in that scope")
	}
	labels, err := svc.ColorLabels()
	if err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	if err := format.write(&buf, b, labels); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), len(b.Annotations), nil
}

// safeFileName makes a title usable as a file name.
func safeFileName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '-'
		}
		return r
	}, title)
	name = strings.Trim(clip(name, 80), " .-")
	if name == "" {
		return "gloss-export"
	}
	return filepath.Base(name)
}

func removeString(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// writeFile writes a file whole or not at all: into a temporary file beside
// it, then renamed over it. It is what tests use; the window gets the
// library-aware writer from main (Config.WriteFile).
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
