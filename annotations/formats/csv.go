package formats

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// CSVHeader is the header row of a CSV export, one column per field.
var CSVHeader = []string{
	"id", "article_id", "article_title", "color", "color_meaning", "quote", "note",
	"tags", "start", "end", "status", "created_at", "updated_at",
	"article_authors", "article_year", "article_doi", "article_url", "page",
	"author",
}

// CSVTagSeparator joins an annotation's tags in the tags column.
const CSVTagSeparator = "; "

// WriteCSV writes b's annotations as CSV (RFC 4180): a header row
// (CSVHeader), then one row per annotation in the bundle's order. The file
// is UTF-8 without a byte order mark; records end in CRLF, and line breaks
// inside a cell (notes, quotes) are kept as the text has them ("\n"), in
// a quoted cell. start and end are rune offsets; times are RFC 3339 in UTC
// with milliseconds; tags are joined by "; ". article_authors are the
// article's (its citation); author, the last column, is who made the
// annotation ("" when not known).
//
// A cell that begins with "=", "+", "-", "@", a tab or a carriage return
// (after any white space), or with "'", gets a "'" in front, so that no
// spreadsheet runs it as a formula (OWASP's advice on CSV injection).
// Removing one leading "'" from a cell that has one gives back the text.
//
// Annotations in the trash are written like the others (the columns do not
// say so); leave them out of b when that matters.
func WriteCSV(w io.Writer, b annotations.Bundle, labels annotations.ColorLabels) error {
	arts := articleIndex(b)
	for _, a := range b.Annotations {
		if _, ok := arts[a.ArticleID]; !ok {
			return missingArticle(a)
		}
	}
	cw := NewCSVWriter(w, labels)
	for _, a := range b.Articles {
		if err := cw.Article(a); err != nil {
			return err
		}
	}
	for _, a := range b.Annotations {
		if err := cw.Annotation(a); err != nil {
			return err
		}
	}
	return cw.Close()
}

// CSVWriter writes WriteCSV's output record by record (it is an
// annotations.ExportSink): every article (of which it keeps what the
// columns need, not the text), then every annotation, then Close.
type CSVWriter struct {
	w      *bufio.Writer
	labels annotations.ColorLabels
	arts   map[uuid.UUID]annotations.Article
	rec    bytes.Buffer
	cw     *csv.Writer
	row    []string
	begun  bool
	err    error
}

// NewCSVWriter starts a CSV export to w.
func NewCSVWriter(w io.Writer, labels annotations.ColorLabels) *CSVWriter {
	c := &CSVWriter{w: bufio.NewWriterSize(w, 64<<10), labels: labels, arts: map[uuid.UUID]annotations.Article{},
		row: make([]string, len(CSVHeader))}
	c.cw = csv.NewWriter(&c.rec)
	return c
}

// Article notes an article the annotations after it may be on.
func (c *CSVWriter) Article(a annotations.Article) error {
	a.Text = ""
	c.arts[a.ID] = a
	return c.err
}

// Annotation writes one annotation's row (the header row first); its
// article must have come before.
func (c *CSVWriter) Annotation(a annotations.Annotation) error {
	art, ok := c.arts[a.ArticleID]
	if !ok {
		return missingArticle(a)
	}
	if !c.begun {
		c.begun = true
		c.write(CSVHeader)
	}
	status := a.Status
	if status == "" {
		status = annotations.StatusAnchored
	}
	row := c.row
	row[0] = a.ID.String()
	row[1] = a.ArticleID.String()
	row[2] = csvCell(art.Title)
	row[3] = string(a.Color)
	row[4] = csvCell(c.labels.Label(a.Color))
	row[5] = csvCell(a.Target.Exact)
	row[6] = csvCell(a.Note)
	row[7] = csvCell(strings.Join(a.Tags, CSVTagSeparator))
	row[8] = strconv.Itoa(a.Target.Start)
	row[9] = strconv.Itoa(a.Target.End)
	row[10] = string(status)
	row[11] = w3cTime(a.CreatedAt)
	row[12] = w3cTime(a.UpdatedAt)
	row[13] = csvCell(strings.Join(art.Authors, CSVTagSeparator))
	row[14] = ""
	if art.Year != 0 {
		row[14] = strconv.Itoa(art.Year)
	}
	row[15] = csvCell(art.DOI)
	row[16] = csvCell(articleURL(art))
	row[17] = ""
	if a.Target.Page > 0 {
		row[17] = strconv.Itoa(a.Target.Page)
	}
	row[18] = csvCell(a.Author)
	c.write(row)
	return c.err
}

// Close writes the header row if no annotation did, and flushes.
func (c *CSVWriter) Close() error {
	if !c.begun {
		c.begun = true
		c.write(CSVHeader)
	}
	if c.err == nil {
		c.err = c.w.Flush()
	}
	return c.err
}

func (c *CSVWriter) write(row []string) {
	if c.err != nil {
		return
	}
	c.rec.Reset()
	if c.err = c.cw.Write(row); c.err != nil {
		return
	}
	c.cw.Flush()
	if c.err = c.cw.Error(); c.err != nil {
		return
	}
	// encoding/csv ends a record with "\n" and, with UseCRLF, would also
	// turn the "\n" inside cells into "\r\n": end records in CRLF here
	// instead and keep cells as they are.
	c.w.Write(bytes.TrimSuffix(c.rec.Bytes(), []byte("\n")))
	_, c.err = c.w.WriteString("\r\n")
}

// csvCell neutralises a cell a spreadsheet could take for a formula.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\'' || formulaStart(s[0]) {
		return "'" + s
	}
	if t := strings.TrimLeftFunc(s, unicode.IsSpace); t != "" && formulaStart(t[0]) {
		return "'" + s
	}
	return s
}

func formulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
}
