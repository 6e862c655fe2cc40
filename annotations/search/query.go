package search

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// ErrQuery is returned (wrapped, with a one-line explanation) for a query
// that cannot be read: an unclosed quote, an unknown qualifier, a qualifier
// without a value, an unknown colour or status.
var ErrQuery = errors.New("bad query")

// maxWords bounds the words and phrases of one query.
const maxWords = 32

// query is a parsed search query. Words and phrases are folded tokens.
type query struct {
	words    []string   // each must match (exactly, by prefix, typo or subsequence)
	phrases  [][]string // each must occur as consecutive tokens of one field
	notWords []string   // none may occur (exact token)

	tags, notTags []string // folded tag keys (see foldTag): all / none
	tagPrefix     []bool   // per tags: it matches the tags it begins too
	// authors, notAuthors: list keys of author names (see authorKey): all
	// (an annotation has one author, so only names one begins) / none;
	// authorPrefix: per authors, it matches the names it begins too.
	authors, notAuthors []string
	authorPrefix        []bool
	// articles: each entry's words must all begin words of the title (or
	// the entry is a prefix of the article ID); notArticles: none may.
	articles, notArticles [][]string
	articleIDs            []string // raw values, for ID-prefix matches (parallel to articles)
	notArticleIDs         []string

	colors, notColors     uint8 // bit per colour key-1
	statuses, notStatuses uint8 // bit per status (see statusBit)
	hasNote, hasTags      int8  // 1 must have, -1 must not, 0 either
}

// queryError returns an ErrQuery with a message on one line.
func queryError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrQuery, strings.Join(strings.Fields(fmt.Sprintf(format, args...)), " "))
}

// shown returns a part of a query for an error message: at most 40
// characters.
func shown(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:39]) + "…"
}

const qualifierHelp = "tag:, color:, article:, author:, is:, has:"

// parse reads a query: words, "quoted phrases", -word, and the qualifiers
// tag:NAME, color:NAME, article:WORDS, author:NAME, is:orphan|fuzzy|anchored,
// has:note|tags, each of which may be negated with a leading "-" and take a
// "quoted value".
func parse(s string) (*query, error) {
	q := &query{}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		neg := false
		if s[i] == '-' {
			neg = true
			i++
		}
		// A qualifier: ASCII letters then a colon.
		j := i
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
			j++
		}
		if j > i && j < len(s) && s[j] == ':' {
			name := strings.ToLower(s[i:j])
			value, next, err := readValue(s, j+1)
			if err != nil {
				return nil, err
			}
			if err := q.qualifier(name, value, neg, s[start:next]); err != nil {
				return nil, err
			}
			i = next
			continue
		}
		if i < len(s) && s[i] == '"' {
			value, next, err := readValue(s, i)
			if err != nil {
				return nil, err
			}
			if neg {
				return nil, queryError(`cannot exclude a phrase (-"%s"); exclude single words with -word`, shown(value))
			}
			if toks := foldTokens(value); len(toks) > 0 {
				q.phrases = append(q.phrases, toks)
			}
			i = next
			continue
		}
		// A plain word: up to the next space or quote.
		j = i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			j += size
		}
		toks := foldTokens(s[i:j])
		if neg {
			q.notWords = append(q.notWords, toks...)
		} else {
			q.words = append(q.words, toks...)
		}
		i = j
	}
	if n := len(q.words) + len(q.phrases); n > maxWords {
		return nil, queryError("too many words (%d; at most %d)", n, maxWords)
	}
	return q, nil
}

// readValue reads a qualifier's value or a phrase at s[i:]: a "quoted
// string" (which must be closed) or the text up to the next space. It
// returns the value and the index after it.
func readValue(s string, i int) (string, int, error) {
	if i < len(s) && s[i] == '"' {
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			return "", 0, queryError("unclosed quote: %s", shown(s[i:]))
		}
		return s[i+1 : i+1+end], i + 2 + end, nil
	}
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) {
			break
		}
		if r == '"' {
			return "", 0, queryError("a quote inside a word: %s (put the whole value in quotes)", shown(s[i:]))
		}
		j += size
	}
	return s[i:j], j, nil
}

// statusBit maps a status to its bit in query.statuses.
func statusBit(s annotations.Status) uint8 {
	switch s {
	case annotations.StatusAnchored:
		return 1
	case annotations.StatusFuzzy:
		return 2
	case annotations.StatusOrphaned:
		return 4
	}
	return 0
}

func (q *query) qualifier(name, value string, neg bool, raw string) error {
	switch name {
	case "tag", "color", "colour", "article", "author", "is", "has":
	default:
		return queryError("unknown qualifier %s (known: %s; put text with a colon in quotes)", annotations.QuoteInput(name+":"), qualifierHelp)
	}
	value = strings.TrimSpace(value)
	if value == "" {
		return queryError("%s needs a value (for example %s)", shown(raw), example(name))
	}
	switch name {
	case "tag":
		key := foldTag(value)
		if neg {
			q.notTags = append(q.notTags, key)
		} else {
			q.tags = append(q.tags, key)
			// tag:evi finds the tags that begin so ("evidence"), as it
			// is typed; tag:"peace talks", quoted, that tag alone.
			q.tagPrefix = append(q.tagPrefix, !strings.Contains(raw, `:"`))
		}
	case "author":
		key := authorKey(value)
		if key == "" {
			return queryError("%s: no name to look for (for example %s)", shown(raw), example(name))
		}
		if neg {
			q.notAuthors = append(q.notAuthors, key)
		} else {
			q.authors = append(q.authors, key)
			// As tag: does: author:ana finds "Ana Lima" as it is typed;
			// author:"ana lima", quoted, that name alone.
			q.authorPrefix = append(q.authorPrefix, !strings.Contains(raw, `:"`))
		}
	case "color", "colour":
		c, err := annotations.ParseColor(value)
		if err != nil {
			return queryError("%s: %v", shown(raw), err)
		}
		bit := uint8(1) << (c.Key() - 1)
		if neg {
			q.notColors |= bit
		} else {
			q.colors |= bit
		}
	case "article":
		toks := foldTokens(value)
		if len(toks) == 0 {
			return queryError("%s: no words to look for in titles", shown(raw))
		}
		if neg {
			q.notArticles = append(q.notArticles, toks)
			q.notArticleIDs = append(q.notArticleIDs, strings.ToLower(value))
		} else {
			q.articles = append(q.articles, toks)
			q.articleIDs = append(q.articleIDs, strings.ToLower(value))
		}
	case "is":
		var st annotations.Status
		switch strings.ToLower(value) {
		case "orphan", "orphaned", "orphans":
			st = annotations.StatusOrphaned
		case "fuzzy":
			st = annotations.StatusFuzzy
		case "anchored":
			st = annotations.StatusAnchored
		default:
			return queryError("%s: unknown status (use is:orphan, is:fuzzy or is:anchored)", shown(raw))
		}
		if neg {
			q.notStatuses |= statusBit(st)
		} else {
			q.statuses |= statusBit(st)
		}
	case "has":
		v := int8(1)
		if neg {
			v = -1
		}
		switch strings.ToLower(value) {
		case "note", "notes":
			q.hasNote = v
		case "tag", "tags":
			q.hasTags = v
		default:
			return queryError("%s: unknown (use has:note or has:tags)", shown(raw))
		}
	}
	return nil
}

func example(name string) string {
	switch name {
	case "tag":
		return `tag:method or tag:"peace talks"`
	case "color", "colour":
		return "color:red"
	case "article":
		return `article:geneva or article:"peace talks"`
	case "author":
		return `author:ana or author:"ana lima"`
	case "is":
		return "is:orphan"
	case "has":
		return "has:note"
	}
	return "tag:method"
}

// tagMatches reports whether a tag (by its key) is one the query's tag:
// qualifiers ask for.
func (q *query) tagMatches(key string) bool {
	for i, k := range q.tags {
		if key == k || q.tagPrefix[i] && strings.HasPrefix(key, k) {
			return true
		}
	}
	return false
}
