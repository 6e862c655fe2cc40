// Package annotations is Gloss's domain: articles, the annotations made on
// them, colours and tags, the Store interface the domain needs, and the
// Service that carries out every use case (add an article, highlight, edit,
// trash and restore, import, undo).
//
// The package knows nothing of bbolt or Fyne. Every change a use case makes
// goes through one Store.Update call, so it is written whole or not at all.
package annotations

import (
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Format is the kind of file an article came from.
type Format string

// The article formats Gloss reads.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatEPUB     Format = "epub"
	// FormatPDF articles keep the PDF they were read from and a page
	// layout beside their text (see PageLayout).
	FormatPDF Format = "pdf"
)

// Valid reports whether f is one of the known formats.
func (f Format) Valid() bool {
	return f == FormatText || f == FormatMarkdown || f == FormatHTML || f == FormatEPUB || f == FormatPDF
}

// Article is a text the reader annotates. Text is normalised (see
// NormalizeText) and Hash is HashText(Text). Listings leave Text empty; ask
// the store for it when it is needed.
type Article struct {
	ID        uuid.UUID `json:"id"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Format    Format    `json:"format"`
	Hash      string    `json:"hash"`
	AddedAt   time.Time `json:"added_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Citation: authors, year, DOI, URL (its fields are the article's in
	// JSON).
	Citation
	// DeletedAt is set while the article is in the trash (with its
	// highlights).
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
	Text      string     `json:"text,omitempty"`
}

// Status says how well an annotation is attached to its article's text.
type Status string

// The annotation statuses.
const (
	// StatusAnchored: the text at the target still says what was highlighted.
	StatusAnchored Status = "anchored"
	// StatusFuzzy: attached to text that changed since it was highlighted.
	StatusFuzzy Status = "fuzzy"
	// StatusOrphaned: its passage is gone; quote and note are kept.
	StatusOrphaned Status = "orphaned"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	return s == StatusAnchored || s == StatusFuzzy || s == StatusOrphaned
}

// Target locates an annotation in its article: rune offsets plus the quote
// and its context.
type Target = anchor.Target

// Annotation is a highlight on an article, with an optional note and tags.
type Annotation struct {
	ID        uuid.UUID `json:"id"`
	ArticleID uuid.UUID `json:"article_id"`
	Color     Color     `json:"color"`
	Note      string    `json:"note"`
	Tags      []string  `json:"tags"`
	// Author is who made the annotation: the name set on the device
	// (library) it was made on (see Service.SetAuthor), "" when none was.
	// It is kept through every edit.
	Author string `json:"author,omitempty"`
	Status Status `json:"status"`
	Target Target `json:"target"`
	// Previous is what a fuzzy annotation's passage said when it was
	// highlighted, before the article's text was revised.
	Previous  string     `json:"previous,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	DeletedAt *time.Time `json:"deleted_at,omitempty"`
}

// Trashed reports whether the annotation is in the trash.
func (a Annotation) Trashed() bool { return a.DeletedAt != nil }

// Clone returns a copy of a that shares no memory with it.
func (a Annotation) Clone() Annotation {
	a.Tags = append([]string{}, a.Tags...)
	a.Target = a.Target.Clone()
	if a.DeletedAt != nil {
		t := *a.DeletedAt
		a.DeletedAt = &t
	}
	return a
}
