package formats

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gloss-notes/gloss/annotations"
)

// FuzzReadArticle feeds any bytes to ReadArticle under each kind of name and
// checks the contract: no panic; either a refusal wrapping one of the
// sentinel errors, or a document whose text is non-empty, valid UTF-8, NFC,
// without "\r" or NUL, whose title is one line of valid UTF-8, and whose
// structure, if any, fits the text (sorted, inside it; text files and
// PDFs have none), and whose pictures (only an e-book has any, read from
// its bytes) are what checkKept says.
func FuzzReadArticle(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "articles"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "articles", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		" \n",
		"plain text\r\nwith CRLF",
		"# Heading #\n\ntext",
		"Title\n===\n",
		"---\ntitle: 'x'\n---\n",
		"<p>a<br>b</p><ul><li>x<ol><li>y</ol></ul><pre>\t p\n</pre>",
		"<table><tr><td>a<td>b</table>&amp;&#0;&#x110000;",
		"<meta charset=shift_jis><p>\x82\xa0</p>",
		"\xEF\xBB\xBF\r\n",
		"\xFF\xFEa\x00",
		"\xFE\xFF\xD8\x00",
		"caf\xE9 \x81",
		"e\x01\u0301",
		"%PDF-1.7",
		"\x1B$B$3$s\x1B(B",
		"<ul><li><p>a<b>\u0301</b></p><li><img src=x alt=y></ul><blockquote><pre> \n\n  x\x01 </pre></blockquote>",
		"<h2>T&#xFEFF;</h2><a href=x><i> </i></a><p>&nbsp;<em>e</em>\u0301<table><caption>c<tr><td>1<td>\f2",
		"# H *e*\n\n- [l](u) `c`\n  > q\n\n![a](i.png)\n\n```\n\n  x  \n```\n",
	} {
		f.Add([]byte(s))
	}

	sentinels := []error{ErrEmpty, ErrTooLarge, ErrBinary, ErrPDF, ErrUnsupported, ErrEncoding}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"a.txt", "a.md", "a.html", "article"} {
			doc, err := ReadArticle(name, data)
			if err != nil {
				known := false
				for _, s := range sentinels {
					known = known || errors.Is(err, s)
				}
				if !known || strings.ContainsAny(err.Error(), "\r\n") {
					t.Fatalf("%s: unexpected error %q", name, err)
				}
				continue
			}
			switch {
			case doc.Text == "":
				t.Fatalf("%s: empty text and no error", name)
			case !utf8.ValidString(doc.Text):
				t.Fatalf("%s: text is not valid UTF-8: %q", name, doc.Text)
			case !norm.NFC.IsNormalString(doc.Text):
				t.Fatalf("%s: text is not NFC: %q", name, doc.Text)
			case strings.ContainsAny(doc.Text, "\r\x00"):
				t.Fatalf("%s: text holds CR or NUL: %q", name, doc.Text)
			case !utf8.ValidString(doc.Title) || strings.ContainsAny(doc.Title, "\r\n") || doc.Title == "":
				t.Fatalf("%s: bad title %q", name, doc.Title)
			case !doc.Format.Valid():
				t.Fatalf("%s: bad format %q", name, doc.Format)
			case doc.Structure.Check(utf8.RuneCountInString(doc.Text)) != nil:
				t.Fatalf("%s: the structure does not fit the text: %v", name, doc.Structure.Check(utf8.RuneCountInString(doc.Text)))
			case doc.Structure != nil && (doc.Format == annotations.FormatText || doc.Format == annotations.FormatPDF):
				t.Fatalf("%s: a %s document with a structure", name, doc.Format)
			case doc.Images != nil && doc.Format != annotations.FormatEPUB:
				t.Fatalf("%s: a %s document read from bytes with pictures", name, doc.Format)
			}
			checkKept(t, doc)
			again, err := ReadArticle(name, data)
			if err != nil || !reflect.DeepEqual(again, doc) {
				t.Fatalf("%s: second read differs: %+v, %v", name, again, err)
			}
		}
	})
}
