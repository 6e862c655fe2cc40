package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

func (r *runner) searchCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "search QUERY... [--limit N] [--json]",
		Short: "Search the notes: typos, prefixes and abbreviations forgiven",
		Long: `Search every annotation's quote, note, tags and article title; the words of
QUERY are joined with spaces. Every word must match, exactly, as the start of
a word ("negot"), with a small typo ("consesus") or as an abbreviation
("trnsctn"); case and accents do not matter. "Quoted phrases" must occur as
they are. Qualifiers filter:

  tag:NAME  -tag:NAME      has a tag that begins with NAME (tag:evi: evidence),
                           or has not this tag; tag:"two words" is that tag
  color:NAME               of this colour (a name or 1–8; -color: excludes)
  article:WORDS            in an article whose title has words starting so
  author:NAME  -author:NAME  made by an author whose name begins with NAME
                           (author:ana: Ana Lima), or not by this author;
                           author:"Ana Lima" is that name alone
  is:orphan  is:fuzzy  is:anchored
  has:note  has:tags       (-has:note: without a note)
  -word                    without this word

Hits come best first: the quality of the match, in a tag or the quote above
the note and the title, then the most recently changed. Matched text is shown
between « and »; --json prints each hit's id, article_id, score, and the
matched rune ranges of each field.

Flags: --limit N (at most N hits, default 50), --json. A word that starts
with "-" is part of the query (-tag:todo); after "--" everything is.`,
		// Flags are read by hand, so that -tag:todo and -word are query
		// words rather than unknown shorthand flags.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := r.searchArgs(args)
			if err != nil {
				return err
			}
			if a.help {
				return cmd.Help()
			}
			return r.runSearch(cmd, a)
		},
	}
	return cmd
}

// searchArgs is what a search command line asks for.
type searchArgs struct {
	query  string
	limit  int
	asJSON bool
	help   bool
}

// searchArgs reads the flags of "gloss search" (--limit, --json, --help,
// and the global --db) and joins the rest into the query.
func (r *runner) searchArgs(args []string) (searchArgs, error) {
	a := searchArgs{limit: search.DefaultLimit}
	var words []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := strings.Cut(arg, "=")
		needValue := func() (string, error) {
			if hasValue {
				return value, nil
			}
			if i+1 >= len(args) {
				return "", usagef("flag needs an argument: %s", name)
			}
			i++
			return args[i], nil
		}
		switch {
		case arg == "--":
			words = append(words, args[i+1:]...)
			i = len(args)
		case arg == "-h" || arg == "--help":
			a.help = true
		case arg == "--json":
			a.asJSON = true
		case name == "--json":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return a, usagef("invalid argument %q for --json", value)
			}
			a.asJSON = b
		case name == "--limit":
			v, err := needValue()
			if err != nil {
				return a, err
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return a, usagef("invalid argument %q for --limit: not a number", v)
			}
			if n < 1 {
				return a, usagef("--limit must be at least 1, got %d", n)
			}
			a.limit = n
		case name == "--db":
			v, err := needValue()
			if err != nil {
				return a, err
			}
			r.dbPath = v
		case strings.HasPrefix(arg, "--"):
			return a, usagef("unknown flag: %s (see gloss search --help)", name)
		default:
			words = append(words, arg)
		}
	}
	if !a.help && len(words) == 0 {
		return a, usagef("search needs a QUERY (see gloss search --help)")
	}
	a.query = strings.Join(words, " ")
	return a, nil
}

func (r *runner) runSearch(cmd *cobra.Command, a searchArgs) error {
	// A malformed query is a usage error, whatever the library holds.
	if err := search.Validate(a.query); err != nil {
		return usageError{err}
	}
	svc, err := r.readService()
	if err != nil {
		return err
	}
	// The library's search index: only the matched words' postings and
	// the hits' records are read, not every annotation.
	hits, err := r.db.Search(a.query, a.limit)
	if err != nil {
		if errors.Is(err, search.ErrQuery) {
			return usageError{err}
		}
		return err
	}
	out := cmd.OutOrStdout()
	if a.asJSON {
		return printJSON(out, hits)
	}
	labels, err := svc.ColorLabels()
	if err != nil {
		return err
	}
	var lastArticle uuid.UUID
	for i, h := range hits {
		note, err := svc.Annotation(h.ID)
		if err != nil {
			return err
		}
		if h.ArticleID != lastArticle {
			art, err := svc.ArticleMeta(h.ArticleID)
			if err != nil {
				return err
			}
			if i > 0 {
				fmt.Fprintln(out)
			}
			fmt.Fprintf(out, "# %s (%s)\n", emphasize(art.Title, h.Matches["title"]), h.ArticleID)
			lastArticle = h.ArticleID
		}
		printAnnotation(out, emphasized(note, h), labels)
	}
	return nil
}

// emphasized returns a copy of a with the matched text of its quote, note
// and tags between « and ».
func emphasized(a annotations.Annotation, h search.Hit) annotations.Annotation {
	a = a.Clone()
	a.Target.Exact = emphasize(a.Target.Exact, h.Matches["quote"])
	a.Note = emphasize(a.Note, h.Matches["note"])
	if len(a.Tags) > 0 {
		// Ranges never cross the ", " between two tags.
		a.Tags = strings.Split(emphasize(strings.Join(a.Tags, ", "), h.Matches["tags"]), ", ")
	}
	return a
}

// emphasize puts the rune ranges of text (ascending, apart) between « and ».
func emphasize(text string, ranges [][2]int) string {
	if len(ranges) == 0 {
		return text
	}
	var b strings.Builder
	i, k := 0, 0
	for _, r := range text {
		if k < len(ranges) && i == ranges[k][1] {
			b.WriteRune('»')
			k++
		}
		if k < len(ranges) && i == ranges[k][0] {
			b.WriteRune('«')
		}
		b.WriteRune(r)
		i++
	}
	if k < len(ranges) && i == ranges[k][1] {
		b.WriteRune('»')
	}
	return b.String()
}
