package annotations_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

func TestNormalizeDOI(t *testing.T) {
	for in, want := range map[string]string{
		"10.1000/xyz123":                        "10.1000/xyz123",
		"doi:10.1038/nphys1170":                 "10.1038/nphys1170",
		"DOI: 10.1038/nphys1170.":               "10.1038/nphys1170",
		"https://doi.org/10.1145/3290605.33001": "10.1145/3290605.33001",
		"http://dx.doi.org/10.1000/a(b)c":       "10.1000/a(b)c",
		"not a doi":                             "",
		"10.12/x":                               "",
		"":                                      "",
	} {
		if got := annotations.NormalizeDOI(in); got != want {
			t.Errorf("NormalizeDOI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCitation_AddAndImport(t *testing.T) {
	svc := newService(t)
	c := annotations.Citation{Authors: []string{" Ada  Lovelace ", "Charles Babbage", "ada lovelace", ""}, Year: 1843,
		DOI: "https://doi.org/10.1000/notes.1843", URL: "https://example.org/notes"}
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "Notes", Format: annotations.FormatText, Text: sample, Citation: c})
	if err != nil {
		t.Fatal(err)
	}
	want := annotations.Citation{Authors: []string{"Ada Lovelace", "Charles Babbage"}, Year: 1843, DOI: "10.1000/notes.1843", URL: "https://example.org/notes"}
	got, _ := svc.ArticleMeta(a.ID)
	if !reflect.DeepEqual(got.Citation, want) {
		t.Errorf("stored %+v, want %+v", got.Citation, want)
	}
	if s := got.Cite(); s != "Ada Lovelace, Charles Babbage · 1843 · doi:10.1000/notes.1843" {
		t.Errorf("Cite() = %q", s)
	}
	for _, tt := range []struct {
		c    annotations.Citation
		want string
	}{
		{annotations.Citation{Authors: []string{"Lovelace, Ada", "Babbage, Charles"}}, "Lovelace, Ada; Babbage, Charles"},
		{annotations.Citation{Authors: []string{"A", "B", "C", "D"}, Year: 2020}, "A et al. · 2020"},
		{annotations.Citation{URL: "https://x.example"}, ""},
	} {
		if got := tt.c.Cite(); got != tt.want {
			t.Errorf("Cite(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
	// What a file says is kept where it checks out.
	b, _, err := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another text.",
		Citation: annotations.Citation{Authors: []string{"A. Author"}, Year: 20251, DOI: "doi:nonsense", URL: "javascript:alert(1)"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.ArticleMeta(b.ID); !reflect.DeepEqual(got.Citation, annotations.Citation{Authors: []string{"A. Author"}}) {
		t.Errorf("a file's bad parts: %+v", got.Citation)
	}
	// An export carries it, and an import checks it.
	bundle, _ := svc.Export(annotations.ExportFilter{})
	if !reflect.DeepEqual(bundle.Articles[0].Citation, want) {
		t.Errorf("export: %+v", bundle.Articles[0].Citation)
	}
	bundle.Articles[0].Citation.DOI = "not a doi"
	bundle.Articles[0].UpdatedAt = bundle.Articles[0].UpdatedAt.Add(1)
	if _, err := svc.Import(bundle); !errors.Is(err, annotations.ErrInvalidArticle) || !strings.Contains(err.Error(), "not a DOI") {
		t.Errorf("import of a bad DOI: %v", err)
	}
}
