package annotations

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Structure is how an article's text was laid out where it came from
// (headings, list items, quotes, code, emphasis, links…), kept beside the
// plain text rather than in it: anchors, search and exports read the text
// alone, and the text view draws the structure over it. Offsets are rune
// offsets into the article's text, ranges half-open [Start, End).
//
// Blocks may nest (a paragraph in a quote in a chapter); spans may nest
// and overlap blocks. Both are sorted by Start, the longer range first
// when two start together (see Sort).
type Structure struct {
	Blocks []Block     `json:"blocks"`
	Spans  []StyleSpan `json:"spans"`
}

// BlockKind is what a block of the text is.
type BlockKind string

// The block kinds.
const (
	BlockHeading   BlockKind = "heading"   // Level 1–6
	BlockParagraph BlockKind = "paragraph" //
	BlockItem      BlockKind = "item"      // a list item; Level is its nesting, from 1
	BlockQuote     BlockKind = "quote"     // Level is its nesting, from 1
	BlockCode      BlockKind = "code"      // preformatted text, shown in a monospace font
	BlockCaption   BlockKind = "caption"   // a figure's or table's caption
	BlockRow       BlockKind = "row"       // a table row, its cells separated by tabs
	BlockChapter   BlockKind = "chapter"   // an e-book's chapter (Level 1), for the table of contents
)

// Block is a run of whole lines of the text with one role.
type Block struct {
	Kind  BlockKind `json:"kind"`
	Level int       `json:"level,omitempty"`
	Start int       `json:"start"`
	End   int       `json:"end"`
}

// SpanKind is how a run of text within a line is set.
type SpanKind string

// The span kinds.
const (
	SpanEmphasis SpanKind = "emphasis" // italic
	SpanStrong   SpanKind = "strong"   // bold
	SpanCode     SpanKind = "code"     // monospace
	SpanLink     SpanKind = "link"     // Href is where it points; Gloss never fetches it
	// SpanImage marks where a picture was (Start == End): Href is its
	// address as the article gave it, Alt its description, and Image,
	// when the picture came with the article (an e-book's, a local
	// file's, or a web page's when its pictures were asked for), the
	// ImageKey of the copy the library keeps. A picture not kept is never
	// fetched to be shown.
	SpanImage SpanKind = "image"
)

// StyleSpan is a run of text set in one way.
type StyleSpan struct {
	Kind  SpanKind `json:"kind"`
	Start int      `json:"start"`
	End   int      `json:"end"`
	Href  string   `json:"href,omitempty"`
	Alt   string   `json:"alt,omitempty"`
	Image string   `json:"image,omitempty"`
	// Width and Height are the kept picture's size in pixels, set by the
	// library when it keeps the picture.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Bounds on a structure, so that a damaged or hostile one cannot make the
// view or the library do unbounded work.
const (
	MaxStructureEntries = 1 << 20 // blocks and spans together
	MaxHrefBytes        = 8 << 10 // an address or an image's description
	maxBlockLevel       = 16
)

// ErrStructure is returned when a structure does not fit its text or its
// stored form is damaged.
var ErrStructure = errors.New("article structure does not fit the text")

// Empty reports whether the structure says nothing.
func (s *Structure) Empty() bool { return s == nil || len(s.Blocks) == 0 && len(s.Spans) == 0 }

// Sort puts blocks and spans in order: by Start, the longer first.
func (s *Structure) Sort() {
	slices.SortStableFunc(s.Blocks, func(a, b Block) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
	slices.SortStableFunc(s.Spans, func(a, b StyleSpan) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End))
	})
}

// Check reports whether the structure fits a text of n runes: known kinds,
// ranges inside the text, sorted, levels and addresses within bounds.
func (s *Structure) Check(n int) error {
	if s == nil {
		return nil
	}
	if len(s.Blocks)+len(s.Spans) > MaxStructureEntries {
		return fmt.Errorf("%w: %d entries (at most %d)", ErrStructure, len(s.Blocks)+len(s.Spans), MaxStructureEntries)
	}
	inside := func(start, end int) bool { return start >= 0 && start <= end && end <= n }
	prev := -1
	for i, b := range s.Blocks {
		if !b.Kind.valid() {
			return fmt.Errorf("%w: block %d is of no known kind (%.20q)", ErrStructure, i, b.Kind)
		}
		if !inside(b.Start, b.End) || b.Start < prev {
			return fmt.Errorf("%w: block %d covers runes %d–%d of %d", ErrStructure, i, b.Start, b.End, n)
		}
		if b.Level < 0 || b.Level > maxBlockLevel {
			return fmt.Errorf("%w: block %d is at level %d", ErrStructure, i, b.Level)
		}
		prev = b.Start
	}
	prev = -1
	for i, sp := range s.Spans {
		if !sp.Kind.valid() {
			return fmt.Errorf("%w: span %d is of no known kind (%.20q)", ErrStructure, i, sp.Kind)
		}
		if !inside(sp.Start, sp.End) || sp.Start < prev {
			return fmt.Errorf("%w: span %d covers runes %d–%d of %d", ErrStructure, i, sp.Start, sp.End, n)
		}
		if len(sp.Href) > MaxHrefBytes || len(sp.Alt) > MaxHrefBytes {
			return fmt.Errorf("%w: span %d has an address or description over %d bytes", ErrStructure, i, MaxHrefBytes)
		}
		if sp.Image != "" && (sp.Kind != SpanImage || !validImageKey(sp.Image)) {
			return fmt.Errorf("%w: span %d names a picture as %.80q", ErrStructure, i, sp.Image)
		}
		if sp.Width < 0 || sp.Height < 0 || int64(sp.Width)*int64(sp.Height) > MaxImagePixels {
			return fmt.Errorf("%w: span %d gives a picture of %d × %d pixels", ErrStructure, i, sp.Width, sp.Height)
		}
		prev = sp.Start
	}
	return nil
}

func (k BlockKind) valid() bool {
	switch k {
	case BlockHeading, BlockParagraph, BlockItem, BlockQuote, BlockCode, BlockCaption, BlockRow, BlockChapter:
		return true
	}
	return false
}

func (k SpanKind) valid() bool {
	switch k {
	case SpanEmphasis, SpanStrong, SpanCode, SpanLink, SpanImage:
		return true
	}
	return false
}

// MarshalBinary is the stored form of a structure (JSON).
func (s Structure) MarshalBinary() ([]byte, error) { return json.Marshal(s) }

// UnmarshalBinary reads the stored form; Check it against the text.
func (s *Structure) UnmarshalBinary(data []byte) error {
	var out Structure
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("%w: %v", ErrStructure, err)
	}
	*s = out
	return nil
}

// keptStructure is what the library keeps of the structure and pictures
// given with an article's text (given as it came, and as normalised): the
// structure with the pictures' sizes, and the pictures. A structure made
// over a text that normalising changed is not kept — its offsets would
// be off, and the text matters more — nor are pictures without one; a
// structure that does not fit its text, or pictures that do not check out,
// are refused.
func keptStructure(na NewArticle, text string) (*Structure, map[string][]byte, error) {
	if na.Structure.Empty() || na.Text != text {
		return nil, nil, nil
	}
	sorted := Structure{Blocks: slices.Clone(na.Structure.Blocks), Spans: slices.Clone(na.Structure.Spans)}
	sorted.Sort()
	if err := sorted.Check(utf8.RuneCountInString(text)); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrInvalidArticle, err)
	}
	sized, err := checkImages(na.Images, &sorted)
	if err != nil {
		return nil, nil, err
	}
	return sized, na.Images, nil
}

// keepStructure stores an article's structure and pictures (see
// keptStructure), if any. With onlyNew, an article that has a structure
// for its text already keeps it: that is for an article added again, or
// updated to the same text, which gets the structure it was added
// without (by an earlier Gloss).
func keepStructure(w Writer, id uuid.UUID, st *Structure, images map[string][]byte, onlyNew bool) error {
	if st.Empty() {
		return nil
	}
	if onlyNew {
		_, err := w.ArticleStructure(id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if err := w.PutArticleStructure(id, *st); err != nil {
		return err
	}
	return putImages(w, id, images)
}

// ArticleStructure returns how an article's current text was set out
// where it came from, or nil when nothing was kept (a text file, a PDF,
// an article added before Gloss kept structure).
func (s *Service) ArticleStructure(id uuid.UUID) (*Structure, error) {
	var st *Structure
	err := s.store.View(func(r Reader) error {
		var err error
		st, err = r.ArticleStructure(id)
		if errors.Is(err, ErrNotFound) {
			if _, err = r.Article(id); err == nil {
				st = nil
			}
		}
		return err
	})
	return st, err
}
