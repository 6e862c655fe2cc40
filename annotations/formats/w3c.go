package formats

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
)

// W3CContext is the JSON-LD context of the W3C Web Annotation Data Model;
// a W3C export's "@context" is exactly this string.
const W3CContext = "http://www.w3.org/ns/anno.jsonld"

// W3CStyleClassPrefix starts the styleClass of an exported target: the
// class of a yellow highlight is "gloss-yellow".
const W3CStyleClassPrefix = "gloss-"

// w3cTimeLayout is how created, modified and generated are written:
// RFC 3339 in UTC with milliseconds, the precision the library keeps.
const w3cTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// w3cLabel is the label of an exported AnnotationCollection.
const w3cLabel = "Gloss export"

// cssColors are the highlight fills as CSS: the colours the app paints
// (app/colors.go, palette with alpha 0x70), which formats may not import.
var cssColors = map[annotations.Color]string{
	annotations.Yellow:  "rgba(255, 210, 31, 0.44)",
	annotations.Red:     "rgba(240, 74, 74, 0.44)",
	annotations.Green:   "rgba(60, 192, 90, 0.44)",
	annotations.Blue:    "rgba(61, 139, 242, 0.44)",
	annotations.Purple:  "rgba(155, 92, 240, 0.44)",
	annotations.Magenta: "rgba(232, 76, 200, 0.44)",
	annotations.Orange:  "rgba(255, 140, 26, 0.44)",
	annotations.Gray:    "rgba(154, 154, 154, 0.44)",
}

// glossNamespace is the name space of the UUIDs (version 5) Gloss derives
// for an exported collection and its page.
var glossNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/gloss-notes/gloss"))

// W3CAnnotation is an annotation read from W3C JSON-LD: the domain
// annotation and the IRI of its target's source.
//
// Annotation.ArticleID is the Gloss article ID when the annotation was
// exported by Gloss (it travels in the "gloss" extension), else uuid.Nil.
// Source is "urn:sha256:<hex>" (the hash of the text, for Gloss articles
// that have no URL) or the document's URL; with ArticleID it tells the
// importer which article the annotation belongs to.
//
// Annotation.Target.Exact is empty when the annotation had no
// TextQuoteSelector (the importer takes the quote from the article's text
// at Start:End); Start and End are both 0 when it had no
// TextPositionSelector (the importer finds the quote). Prefix and Suffix are
// cut to anchor.ContextRunes runes.
type W3CAnnotation struct {
	Annotation annotations.Annotation
	Source     string
}

// The JSON shapes WriteW3C writes. Every field is set on purpose; see
// WriteW3C for why each one is there.
type (
	w3cItem struct {
		ID         string        `json:"id"`
		Type       string        `json:"type"`
		Motivation string        `json:"motivation"`
		Creator    w3cAgent      `json:"creator"`
		Created    string        `json:"created,omitempty"`
		Modified   string        `json:"modified,omitempty"`
		Body       []w3cBody     `json:"body"`
		Target     w3cTarget     `json:"target"`
		Stylesheet w3cStylesheet `json:"stylesheet"`
		Gloss      w3cGloss      `json:"gloss"`
	}
	w3cAgent struct {
		Type string `json:"type"`
		Name string `json:"name,omitempty"`
	}
	w3cBody struct {
		Type     string `json:"type"`
		Purpose  string `json:"purpose"`
		Value    string `json:"value"`
		Format   string `json:"format"`
		Language string `json:"language"`
		Created  string `json:"created,omitempty"`
	}
	w3cTarget struct {
		Source     any    `json:"source"` // an IRI, or a w3cResource
		Selector   []any  `json:"selector"`
		StyleClass string `json:"styleClass"`
	}
	// w3cResource is the article as the target's source when there is
	// more to say of it than its IRI: its title and what it is cited by,
	// in Dublin Core terms (the model names none for these; JSON-LD
	// processors that do not know "dc:" keep them as they are).
	w3cResource struct {
		ID         string   `json:"id"`
		Type       string   `json:"type"`
		Title      string   `json:"dc:title,omitempty"`
		Creator    []string `json:"dc:creator,omitempty"`
		Date       string   `json:"dc:date,omitempty"`
		Identifier string   `json:"dc:identifier,omitempty"`
	}
	w3cQuoteSelector struct {
		Type   string `json:"type"`
		Exact  string `json:"exact"`
		Prefix string `json:"prefix,omitempty"`
		Suffix string `json:"suffix,omitempty"`
	}
	w3cPositionSelector struct {
		Type  string `json:"type"`
		Start int    `json:"start"`
		End   int    `json:"end"`
	}
	// w3cFragmentSelector names the page of a PDF article's passage, as
	// the PDF media type's fragment identifiers do ("page=3").
	w3cFragmentSelector struct {
		Type       string `json:"type"`
		ConformsTo string `json:"conformsTo"`
		Value      string `json:"value"`
	}
	w3cStylesheet struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	// w3cGloss is Gloss's extension: what the W3C model has no term for.
	// JSON-LD processors drop the undefined term "gloss"; Gloss reads it
	// back so that its own exports round-trip.
	w3cGloss struct {
		ArticleID string `json:"article_id"`
		Status    string `json:"status"`
		Previous  string `json:"previous,omitempty"`
		DeletedAt string `json:"deleted_at,omitempty"`
	}
)

// WriteW3C writes b's annotations as a W3C Web Annotation
// AnnotationCollection (JSON-LD) whose first page, embedded, holds them all,
// in the bundle's order. Every annotation passes the MUST assertions of the
// W3C test suite (and its SHOULD assertions, which is why each has a
// creator and each body a format, language and created time). An
// annotation is written as:
//
//   - id "urn:uuid:<its ID>", type "Annotation", motivation "commenting"
//     when it has a note, else "highlighting";
//   - creator {"type": "Person", "name": <its author>} (the Agent of the
//     model's section 3.3.1), or {"type": "Person"} when it has no author:
//     the reader, who stays anonymous;
//   - created and modified: RFC 3339, UTC, milliseconds;
//   - body: the note as a TextualBody with format text/markdown and purpose
//     commenting; one TextualBody with purpose tagging per tag; and one
//     with purpose classifying whose value is the colour's meaning (labels,
//     or the colour's name when it has none). Every body has language "und"
//     (undetermined: Gloss does not know the language of a note) and the
//     annotation's created time;
//   - target: source (the article's http(s) URL, else "urn:sha256:<hex>" of
//     its text), selector [TextQuoteSelector, TextPositionSelector (rune
//     offsets)], styleClass "gloss-<colour>";
//   - stylesheet: a CssStylesheet with the rule for that class;
//   - gloss: {"article_id", "status", "previous" (what a fuzzy
//     annotation's passage said), "deleted_at" when trashed}, an extension
//     for Gloss's own import. Orphaned annotations are written
//     with their last known selectors and status "orphaned".
//
// The collection's and the page's IDs are UUIDs derived from exportedAt
// and the annotations' IDs, so the same export gives the same file. Every
// annotation's article must be in b.Articles.
func WriteW3C(w io.Writer, b annotations.Bundle, labels annotations.ColorLabels, exportedAt time.Time) error {
	sources := make(map[uuid.UUID]any, len(b.Articles))
	for _, a := range b.Articles {
		sources[a.ID] = w3cResourceOf(a)
	}
	for _, a := range b.Annotations {
		if _, ok := sources[a.ArticleID]; !ok {
			return missingArticle(a)
		}
	}

	h := sha256.New()
	h.Write([]byte(exportedAt.UTC().Format(w3cTimeLayout)))
	for _, a := range b.Annotations {
		h.Write(a.ID[:])
	}
	collectionID := uuid.NewSHA1(glossNamespace, h.Sum(nil))
	pageID := uuid.NewSHA1(glossNamespace, append(collectionID[:], "page 0"...))

	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n  \"@context\": %s,\n  \"id\": %s,\n  \"type\": \"AnnotationCollection\",\n  \"label\": %s,\n  \"total\": %d,\n",
		jsonText(W3CContext), jsonText(urnUUID(collectionID)), jsonText(w3cLabel), len(b.Annotations))
	fmt.Fprintf(bw, "  \"generator\": {\n    \"type\": \"Software\",\n    \"name\": \"Gloss\"\n  },\n  \"generated\": %s,\n",
		jsonText(exportedAt.UTC().Format(w3cTimeLayout)))
	fmt.Fprintf(bw, "  \"first\": {\n    \"id\": %s,\n    \"type\": \"AnnotationPage\",\n    \"startIndex\": 0,\n    \"items\": [",
		jsonText(urnUUID(pageID)))

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("      ", "  ")
	for i, a := range b.Annotations {
		buf.Reset()
		if err := enc.Encode(w3cItemOf(a, sources[a.ArticleID], labels)); err != nil {
			return fmt.Errorf("annotation %s: %w", a.ID, err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n      ")
		bw.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
	if len(b.Annotations) > 0 {
		bw.WriteString("\n    ")
	}
	bw.WriteString("]\n  }\n}\n")
	return bw.Flush()
}

// PDFFragmentSpec is what a FragmentSelector naming a PDF's page conforms
// to: RFC 8118, the application/pdf media type and its fragment
// identifiers ("page=N", 1-based).
const PDFFragmentSpec = "https://www.rfc-editor.org/rfc/rfc8118"

// w3cItemOf turns an annotation into its W3C form.
func w3cItemOf(a annotations.Annotation, source any, labels annotations.ColorLabels) w3cItem {
	created := w3cTime(a.CreatedAt)
	it := w3cItem{
		ID:         urnUUID(a.ID),
		Type:       "Annotation",
		Motivation: "highlighting",
		Creator:    w3cAgent{Type: "Person", Name: a.Author},
		Created:    created,
		Modified:   w3cTime(a.UpdatedAt),
		Target: w3cTarget{
			Source: source,
			Selector: []any{
				w3cQuoteSelector{Type: "TextQuoteSelector", Exact: a.Target.Exact, Prefix: a.Target.Prefix, Suffix: a.Target.Suffix},
				w3cPositionSelector{Type: "TextPositionSelector", Start: a.Target.Start, End: a.Target.End},
			},
			StyleClass: W3CStyleClassPrefix + string(a.Color),
		},
		Stylesheet: w3cStylesheet{Type: "CssStylesheet", Value: cssRule(a.Color)},
		Gloss:      w3cGloss{ArticleID: a.ArticleID.String(), Status: string(a.Status), Previous: a.Previous},
	}
	if a.Target.Page > 0 {
		it.Target.Selector = append(it.Target.Selector, w3cFragmentSelector{Type: "FragmentSelector",
			ConformsTo: PDFFragmentSpec, Value: "page=" + strconv.Itoa(a.Target.Page)})
	}
	if a.DeletedAt != nil {
		it.Gloss.DeletedAt = w3cTime(*a.DeletedAt)
	}
	it.Body = make([]w3cBody, 0, len(a.Tags)+2)
	if a.Note != "" {
		it.Motivation = "commenting"
		it.Body = append(it.Body, w3cBody{Type: "TextualBody", Purpose: "commenting", Value: a.Note, Format: "text/markdown", Language: "und", Created: created})
	}
	for _, t := range a.Tags {
		it.Body = append(it.Body, w3cBody{Type: "TextualBody", Purpose: "tagging", Value: t, Format: "text/plain", Language: "und", Created: created})
	}
	meaning := labels.Label(a.Color)
	if meaning == "" {
		meaning = string(a.Color)
	}
	it.Body = append(it.Body, w3cBody{Type: "TextualBody", Purpose: "classifying", Value: meaning, Format: "text/plain", Language: "und", Created: created})
	return it
}

// cssRule is the stylesheet rule for the styleClass of colour c.
func cssRule(c annotations.Color) string {
	fill, ok := cssColors[c]
	if !ok {
		fill = cssColors[annotations.Gray]
	}
	return "." + W3CStyleClassPrefix + string(c) + " { background-color: " + fill + "; }"
}

// w3cResourceOf is an article as a target's source: its IRI, with its
// title and citation.
func w3cResourceOf(a annotations.Article) w3cResource {
	r := w3cResource{ID: w3cSource(a), Type: "Text", Title: a.Title, Creator: a.Authors}
	if a.Year != 0 {
		r.Date = strconv.Itoa(a.Year)
	}
	if a.DOI != "" {
		r.Identifier = "doi:" + a.DOI
	}
	return r
}

// w3cSource is the IRI of an article as a target's source: its web address
// (the citation's, else the source's when it came from the web), else the
// hash of its text as a URN.
func w3cSource(a annotations.Article) string {
	if u, ok := webURL(a.URL); ok {
		return u
	}
	if u, ok := webURL(a.Source); ok {
		return u
	}
	hash, ok := strings.CutPrefix(a.Hash, "sha256:")
	if !ok || hash == "" {
		hash, _ = strings.CutPrefix(annotations.HashText(a.Text), "sha256:")
	}
	return "urn:sha256:" + hash
}

// webURL returns s, normalised, when it is an absolute http(s) URL that is
// also a valid IRI (no white space or control characters).
func webURL(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	out := u.String()
	if strings.IndexFunc(out, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", false
	}
	return out, true
}

func urnUUID(id uuid.UUID) string { return "urn:uuid:" + id.String() }

// w3cTime formats t as created and modified are written, or "" for the zero
// time (then the property is left out).
func w3cTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(w3cTimeLayout)
}

// jsonText encodes v as one line of JSON, without HTML escaping.
func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return `""`
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// articleIndex maps each article of b by ID.
func articleIndex(b annotations.Bundle) map[uuid.UUID]*annotations.Article {
	m := make(map[uuid.UUID]*annotations.Article, len(b.Articles))
	for i := range b.Articles {
		m[b.Articles[i].ID] = &b.Articles[i]
	}
	return m
}

func missingArticle(a annotations.Annotation) error {
	return fmt.Errorf("annotation %s: its article %s is not in the export", a.ID, a.ArticleID)
}

// IsW3C reports whether data looks like W3C Web Annotation JSON-LD rather
// than Gloss's native JSON: its top-level object (or the first element of
// its top-level array) has the Web Annotation "@context" or the type
// Annotation, AnnotationPage or AnnotationCollection. It reads only as far
// as it must and says false for anything it cannot tell, invalid JSON
// included (ReadNative then reports the error).
func IsW3C(data []byte) bool {
	yes, _ := sniffW3C(data)
	return yes
}

// SniffW3C is IsW3C for the first bytes of a file (head), for a reader that
// must not read it whole: sure is false when head ends before IsW3C could
// tell, and the caller should ask IsW3C about more of the file (all of it).
func SniffW3C(head []byte) (isW3C, sure bool) {
	yes, short := sniffW3C(head)
	return yes, !short
}

// sniffW3C is IsW3C, and says whether it ran out of data (short) before it
// could tell.
func sniffW3C(data []byte) (yes, short bool) {
	ended := func(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return false, ended(err)
	}
	if tok == json.Delim('[') {
		if !dec.More() {
			_, err := dec.Token()
			return false, err != nil && ended(err)
		}
		var first json.RawMessage
		if err := dec.Decode(&first); err != nil {
			return false, ended(err)
		}
		return sniffW3C(first)
	}
	if tok != json.Delim('{') {
		return false, false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false, ended(err)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return false, ended(err)
		}
		switch key {
		case "format":
			return false, false // the native format's marker comes first
		case "@context":
			var ctx any
			if json.Unmarshal(value, &ctx) == nil {
				for _, c := range jsonValues(ctx) {
					if s, ok := c.(string); ok && (s == W3CContext || strings.HasSuffix(s, "/anno.jsonld")) {
						return true, false
					}
				}
			}
		case "type", "@type":
			var typ any
			if json.Unmarshal(value, &typ) == nil {
				for _, t := range jsonValues(typ) {
					if s, ok := t.(string); ok && (w3cTerm(s) == "Annotation" || w3cTerm(s) == "AnnotationPage" || w3cTerm(s) == "AnnotationCollection") {
						return true, false
					}
				}
			}
		}
	}
	_, err = dec.Token()
	return false, err != nil && ended(err)
}

// jsonObject is a JSON object as encoding/json decodes it into an any.
type jsonObject = map[string]any

// ReadW3C reads W3C Web Annotation JSON-LD: an AnnotationCollection with its
// pages embedded (first, then each embedded next), an AnnotationPage, a
// single Annotation, a JSON-LD "@graph", or an array of any of these. It
// reads what Gloss writes (WriteW3C) and other tools' annotations on text:
//
//   - target: the first target with a TextQuoteSelector (exact, prefix,
//     suffix) and/or a TextPositionSelector (start, end); an annotation with
//     neither is refused. The source is a string or an object's id.
//   - note: the TextualBody values with purpose commenting or describing,
//     or with no purpose (unless the annotation's motivation is tagging),
//     and bodyValue; several are joined by a blank line.
//   - tags: the TextualBody values with purpose tagging (or no purpose when
//     the motivation is tagging); a value with commas is split at them.
//     Other bodies (classifying, linked resources) are ignored.
//   - colour: from a styleClass "gloss-<colour>" on the target, else
//     annotations.DefaultColor.
//   - id: the UUID of an id "urn:uuid:…"; any other id is turned into a
//     UUIDv7 derived from it (time from created, the rest from a SHA-256 of
//     the id), so importing the same file twice gives the same IDs; an
//     annotation without an id gets one derived the same way from its
//     source, selectors, note and created time.
//   - created and modified: RFC 3339 (a time without a zone is taken as
//     UTC); absent ones are left zero for the importer to fill.
//   - author: the creator's name — of a creator given as a string (a name,
//     unless it is a web address or a URN, which name no one), or as an
//     object with a name (else a nickname); of a list of creators, the
//     first that has one. Normalised as annotations.NormalizeAuthor does.
//   - status, previous text, trash and article ID from Gloss's "gloss"
//     extension; other annotations are anchored, not trashed, with
//     ArticleID uuid.Nil.
//
// Every error wraps ErrJSON; syntax errors give the line and column, other
// errors say which annotation is wrong and why, on one line.
func ReadW3C(data []byte) ([]W3CAnnotation, error) {
	if len(data) > MaxImportSize {
		return nil, fmt.Errorf("%w: the file is larger than %d MB", ErrJSON, MaxImportSize>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: the file is empty", ErrJSON)
		}
		return nil, jsonError(data, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := bytes.TrimLeft(data[min(end, int64(len(data))):], " \t\r\n")
		line, col := lineColumn(data, int64(len(data)-len(rest)))
		return nil, fmt.Errorf("%w: line %d, column %d: more data after the end of the JSON value", ErrJSON, line, col)
	}
	if err := checkJSONText(data, w3cRecord); err != nil {
		return nil, err
	}
	var r w3cReader
	if err := r.collect(doc, ""); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrJSON, err)
	}
	out := make([]W3CAnnotation, 0, len(r.items))
	for i, it := range r.items {
		a, err := readW3CAnnotation(it)
		if err != nil {
			name := fmt.Sprintf("annotation %d", i+1)
			if id := w3cString(it, "id", "@id"); id != "" {
				name += " (" + annotations.QuoteInput(id) + ")"
			}
			return nil, fmt.Errorf("%w: %s: %w", ErrJSON, name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// w3cReader gathers the annotation objects of a document.
type w3cReader struct {
	items []jsonObject
}

func (r *w3cReader) collect(v any, where string) error {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			if err := r.collect(e, fmt.Sprintf("%sitem %d", where, i+1)); err != nil {
				return err
			}
		}
		return nil
	case jsonObject:
		return r.object(v, where)
	case string:
		return fmt.Errorf("%s is a link (%s), not an embedded annotation; Gloss does not fetch links", orTop(where), annotations.QuoteInput(v))
	default:
		return fmt.Errorf("%s is %s, not a W3C Annotation, AnnotationPage or AnnotationCollection", orTop(where), jsonKind(v))
	}
}

func (r *w3cReader) object(o jsonObject, where string) error {
	switch {
	case w3cHasType(o, "Annotation"):
		r.items = append(r.items, o)
		return nil
	case w3cHasType(o, "AnnotationCollection"):
		first, ok := o["first"]
		if !ok {
			if len(jsonValues(o["items"])) > 0 {
				return r.page(o, where)
			}
			return fmt.Errorf("%s: the AnnotationCollection has no first page", orTop(where))
		}
		if s, ok := first.(string); ok {
			return fmt.Errorf("%s: the AnnotationCollection's first page is a link (%s), not embedded; Gloss does not fetch links", orTop(where), annotations.QuoteInput(s))
		}
		f, ok := first.(jsonObject)
		if !ok {
			return fmt.Errorf("%s: the AnnotationCollection's first page is %s, not an AnnotationPage", orTop(where), jsonKind(first))
		}
		return r.page(f, where+"first page, ")
	case w3cHasType(o, "AnnotationPage"):
		return r.page(o, where)
	case o["@graph"] != nil:
		return r.collect(o["@graph"], where+"@graph ")
	case o["target"] != nil && o["type"] == nil && o["@type"] == nil:
		// An annotation that forgot its type; nothing else has a target.
		r.items = append(r.items, o)
		return nil
	}
	return fmt.Errorf("%s is not a W3C Annotation, AnnotationPage or AnnotationCollection (no such \"type\")", orTop(where))
}

// page reads an AnnotationPage's items, then the pages embedded as next.
func (r *w3cReader) page(p jsonObject, where string) error {
	for n := 1; ; n++ {
		items, ok := p["items"]
		if !ok {
			return fmt.Errorf("%s: the AnnotationPage has no items", orTop(where))
		}
		if err := r.collect(jsonValues(items), where); err != nil {
			return err
		}
		next, ok := p["next"]
		if !ok || next == nil {
			return nil
		}
		switch next := next.(type) {
		case jsonObject:
			p = next
			where = fmt.Sprintf("page %d, ", n+1)
		case string:
			return fmt.Errorf("page %d links its next page (%s) instead of embedding it; Gloss does not fetch links", n, annotations.QuoteInput(next))
		default:
			return fmt.Errorf("page %d: next is %s, not an AnnotationPage", n, jsonKind(next))
		}
	}
}

func orTop(where string) string {
	where = strings.TrimRight(where, ", ")
	if where == "" {
		return "the top-level value"
	}
	return where
}

// readW3CAnnotation turns one Annotation object into a W3CAnnotation.
func readW3CAnnotation(o jsonObject) (W3CAnnotation, error) {
	var out W3CAnnotation
	a := &out.Annotation
	var err error
	if a.CreatedAt, err = w3cTimeField(o, "created"); err != nil {
		return out, err
	}
	if a.UpdatedAt, err = w3cTimeField(o, "modified"); err != nil {
		return out, err
	}

	target, err := w3cTextTarget(o["target"])
	if err != nil {
		return out, err
	}
	out.Source = target.source
	a.Target = target.t
	a.Color = annotations.DefaultColor
	if c, ok := strings.CutPrefix(target.styleClass, W3CStyleClassPrefix); ok {
		if col := annotations.Color(c); col.Valid() {
			a.Color = col
		}
	}

	tagging := false
	for _, m := range jsonValues(o["motivation"]) {
		if s, ok := m.(string); ok && w3cTerm(s) == "tagging" {
			tagging = true
		}
	}
	var notes []string
	if bv, ok := o["bodyValue"].(string); ok && bv != "" {
		notes = append(notes, bv)
	}
	a.Tags = []string{}
	for _, b := range jsonValues(o["body"]) {
		body, ok := b.(jsonObject)
		if !ok {
			continue // a linked resource: nothing to import
		}
		value, ok := body["value"].(string)
		if !ok || !(w3cHasType(body, "TextualBody") || (body["type"] == nil && body["@type"] == nil)) {
			continue
		}
		var purposes []string
		for _, p := range jsonValues(body["purpose"]) {
			if s, ok := p.(string); ok {
				purposes = append(purposes, w3cTerm(s))
			}
		}
		switch {
		case slices.Contains(purposes, "tagging") || (len(purposes) == 0 && tagging):
			for part := range strings.SplitSeq(value, ",") {
				if strings.TrimSpace(part) == "" {
					continue
				}
				tag, err := annotations.NormalizeTag(part)
				if err != nil {
					return out, err
				}
				a.Tags = append(a.Tags, tag)
			}
		case len(purposes) == 0 || slices.Contains(purposes, "commenting") || slices.Contains(purposes, "describing"):
			if value != "" {
				notes = append(notes, value)
			}
		}
	}
	if a.Tags, err = annotations.NormalizeTags(a.Tags); err != nil {
		return out, err
	}
	a.Note = strings.Join(notes, "\n\n")

	if a.Author, err = annotations.NormalizeAuthor(w3cCreatorName(o["creator"])); err != nil {
		return out, fmt.Errorf("creator: %w", err)
	}

	a.Status = annotations.StatusAnchored
	if g, ok := o["gloss"].(jsonObject); ok {
		if err := readW3CGloss(g, a); err != nil {
			return out, err
		}
	}

	id := w3cString(o, "id", "@id")
	a.ID = w3cAnnotationID(id, a.CreatedAt, func() string {
		t := a.Target
		return strings.Join([]string{out.Source, t.Exact, t.Prefix, t.Suffix, strconv.Itoa(t.Start), strconv.Itoa(t.End), a.Note, w3cTime(a.CreatedAt)}, "\x00")
	})
	return out, nil
}

// w3cCreatorName returns the name of an annotation's creator ("" when it
// has none): a string that is not an IRI, an Agent's name or nickname (as
// plain terms, "foaf:" terms or full FOAF IRIs), the first name of a list.
func w3cCreatorName(v any) string {
	for _, c := range jsonValues(v) {
		var name string
		switch c := c.(type) {
		case string:
			if !w3cIsIRI(c) {
				name = c
			}
		case jsonObject:
			name = w3cString(c, "name", "foaf:name", "http://xmlns.com/foaf/0.1/name",
				"nickname", "foaf:nick", "http://xmlns.com/foaf/0.1/nick")
		}
		if strings.TrimSpace(name) != "" {
			return name
		}
	}
	return ""
}

// w3cIsIRI reports whether a creator given as a string is an identifier
// (a web address, a URN, a mailto:) rather than a name.
func w3cIsIRI(s string) bool {
	s = strings.TrimSpace(s)
	if _, ok := webURL(s); ok {
		return true
	}
	_, urn := cutPrefixFold(s, "urn:")
	_, mail := cutPrefixFold(s, "mailto:")
	return urn || mail
}

// readW3CGloss reads Gloss's extension into a.
func readW3CGloss(g jsonObject, a *annotations.Annotation) error {
	if s, ok := g["article_id"].(string); ok && s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			return fmt.Errorf("gloss.article_id %s is not a UUID", annotations.QuoteInput(s))
		}
		a.ArticleID = id
	}
	if s, ok := g["status"].(string); ok && s != "" {
		st := annotations.Status(s)
		if !st.Valid() {
			return fmt.Errorf("gloss.status %s is not anchored, fuzzy or orphaned", annotations.QuoteInput(s))
		}
		a.Status = st
	}
	if s, ok := g["previous"].(string); ok {
		a.Previous = s
	}
	if _, ok := g["deleted_at"]; ok {
		t, err := w3cTimeField(g, "deleted_at")
		if err != nil {
			return fmt.Errorf("gloss.%w", err)
		}
		if !t.IsZero() {
			a.DeletedAt = &t
		}
	}
	return nil
}

// w3cTextTargetResult is the part of a target Gloss keeps.
type w3cTextTargetResult struct {
	source, styleClass string
	t                  annotations.Target
}

// w3cTextTarget picks the first target that has a text selector.
func w3cTextTarget(v any) (w3cTextTargetResult, error) {
	targets := jsonValues(v)
	if len(targets) == 0 {
		return w3cTextTargetResult{}, errors.New("it has no target")
	}
	for _, tv := range targets {
		t, ok := tv.(jsonObject)
		if !ok {
			continue // a whole document as the target: no text to anchor to
		}
		var res w3cTextTargetResult
		var quote, position bool
		for _, sv := range jsonValues(t["selector"]) {
			s, ok := sv.(jsonObject)
			if !ok {
				continue
			}
			switch {
			case w3cHasType(s, "TextQuoteSelector") && !quote:
				exact, ok := s["exact"].(string)
				if !ok || exact == "" {
					return res, errors.New("its TextQuoteSelector has no exact text")
				}
				res.t.Exact = exact
				res.t.Prefix = lastRunes(w3cString(s, "prefix"), anchor.ContextRunes)
				res.t.Suffix = firstRunes(w3cString(s, "suffix"), anchor.ContextRunes)
				quote = true
			case w3cHasType(s, "TextPositionSelector") && !position:
				start, err := w3cOffset(s, "start")
				if err != nil {
					return res, err
				}
				end, err := w3cOffset(s, "end")
				if err != nil {
					return res, err
				}
				if end < start {
					return res, fmt.Errorf("its TextPositionSelector ends (%d) before it starts (%d)", end, start)
				}
				res.t.Start, res.t.End = start, end
				position = true
			}
		}
		if !quote && !position {
			continue
		}
		if !quote && res.t.Start == res.t.End {
			return res, errors.New("its TextPositionSelector selects nothing (start = end) and it has no TextQuoteSelector")
		}
		switch src := t["source"].(type) {
		case string:
			res.source = src
		case jsonObject:
			res.source = w3cString(src, "id", "@id")
		}
		if res.source == "" {
			return res, errors.New("its target has no source")
		}
		res.styleClass = w3cString(t, "styleClass")
		return res, nil
	}
	return w3cTextTargetResult{}, errors.New("its target has no TextQuoteSelector or TextPositionSelector (Gloss imports annotations on text only)")
}

// w3cOffset reads a TextPositionSelector offset: a non-negative integer.
func w3cOffset(s jsonObject, key string) (int, error) {
	n, ok := s[key].(json.Number)
	if !ok {
		return 0, fmt.Errorf("its TextPositionSelector has no numeric %s", key)
	}
	if i, err := n.Int64(); err == nil {
		if i < 0 || i > math.MaxInt32 {
			return 0, fmt.Errorf("its TextPositionSelector %s %d is out of range", key, i)
		}
		return int(i), nil
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
		return 0, fmt.Errorf("its TextPositionSelector %s %s is not a character offset", key, annotations.QuoteInput(n.String()))
	}
	return int(f), nil
}

// w3cTimeField reads an RFC 3339 time; absent is the zero time.
func w3cTimeField(o jsonObject, key string) (time.Time, error) {
	v, ok := o[key]
	if !ok || v == nil {
		return time.Time{}, nil
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("%s is %s, not a date and time", key, jsonKind(v))
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04:05.999999999", s, time.UTC)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %s is not a date and time in RFC 3339 form", key, annotations.QuoteInput(s))
	}
	return t.UTC(), nil
}

// w3cAnnotationID returns the UUID of an annotation's id: the UUID itself
// for "urn:uuid:…", else a UUIDv7 derived from id (or, without an id, from
// content()), with created as its time.
func w3cAnnotationID(id string, created time.Time, content func() string) uuid.UUID {
	if rest, ok := cutPrefixFold(id, "urn:uuid:"); ok {
		if u, err := uuid.Parse(rest); err == nil && u != uuid.Nil {
			return u
		}
	}
	seed := "id\x00" + id
	if id == "" {
		seed = "content\x00" + content()
	}
	sum := sha256.Sum256([]byte(seed))
	var u uuid.UUID
	ms := created.UnixMilli()
	if created.IsZero() || ms < 0 {
		ms = 0
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(ms)&(1<<48-1))
	copy(u[:6], ts[2:])
	copy(u[6:], sum[:10])
	u[6] = 0x70 | u[6]&0x0f // version 7
	u[8] = 0x80 | u[8]&0x3f // RFC 4122 variant
	return u
}

// w3cHasType reports whether o's type (or @type) is, or includes, want.
func w3cHasType(o jsonObject, want string) bool {
	for _, key := range []string{"type", "@type"} {
		for _, t := range jsonValues(o[key]) {
			if s, ok := t.(string); ok && w3cTerm(s) == want {
				return true
			}
		}
	}
	return false
}

// w3cTerm strips the oa: prefix or the full Web Annotation vocabulary IRI
// from a term, so that "oa:Annotation" is "Annotation".
func w3cTerm(s string) string {
	for _, p := range []string{"http://www.w3.org/ns/oa#", "oa:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest
		}
	}
	return s
}

// w3cString returns the first of keys whose value is a string.
func w3cString(o jsonObject, keys ...string) string {
	for _, k := range keys {
		if s, ok := o[k].(string); ok {
			return s
		}
	}
	return ""
}

// jsonValues returns v as a list: JSON-LD allows one value or an array.
func jsonValues(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	default:
		return "an object"
	}
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func firstRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

func lastRunes(s string, n int) string {
	count := utf8.RuneCountInString(s)
	if count <= n {
		return s
	}
	skip := count - n
	for pos := range s {
		if skip == 0 {
			return s[pos:]
		}
		skip--
	}
	return ""
}
