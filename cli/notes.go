package cli

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
)

func (r *runner) highlightCommand() *cobra.Command {
	var (
		quote, note, color string
		nth, start, end    int
		tags               []string
		asJSON             bool
	)
	cmd := &cobra.Command{
		Use:   "highlight ARTICLE (--quote TEXT [--nth N] | --start S --end E)",
		Short: "Highlight a passage of an article; prints the new ID",
		Long: `Highlight a passage, chosen by its text (--quote, the first occurrence or the
--nth) or by rune offsets (--start, --end: half-open, counted in characters
from 0). White space in a quote matches any run of white space in the article.`,
		Args: exactArgs(1, "an ARTICLE ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flags := cmd.Flags()
			byQuote := flags.Changed("quote")
			byOffsets := flags.Changed("start") || flags.Changed("end")
			switch {
			case byQuote && byOffsets:
				return usagef("give either --quote or --start/--end, not both")
			case !byQuote && !byOffsets:
				return usagef("say what to highlight with --quote TEXT or --start S --end E")
			case byOffsets && !(flags.Changed("start") && flags.Changed("end")):
				return usagef("--start and --end go together")
			case flags.Changed("nth") && !byQuote:
				return usagef("--nth goes with --quote")
			case nth < 1:
				return usagef("--nth counts occurrences from 1, not %d", nth)
			case byQuote && strings.TrimSpace(quote) == "":
				return usagef("--quote is empty")
			}
			c, err := parseColor(color)
			if err != nil {
				return err
			}
			svc, err := r.service()
			if err != nil {
				return err
			}
			articleID, err := svc.ResolveArticle(args[0])
			if err != nil {
				return err
			}
			a, err := svc.Highlight(annotations.HighlightRequest{
				ArticleID: articleID, Quote: quote, Nth: nth, Start: start, End: end,
				Color: c, Note: note, Tags: tags,
			})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), jsonAnnotations([]annotations.Annotation{a})[0])
			}
			fmt.Fprintln(cmd.OutOrStdout(), a.ID)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&quote, "quote", "", "the passage's text")
	f.IntVar(&nth, "nth", 1, "which occurrence of the quote (1 is the first)")
	f.IntVar(&start, "start", 0, "first character (rune offset)")
	f.IntVar(&end, "end", 0, "one past the last character (rune offset)")
	f.StringVar(&color, "color", string(annotations.DefaultColor), "colour: yellow, red, green, blue, purple, magenta, orange, gray, or 1–8")
	f.StringVar(&note, "note", "", "a note (Markdown)")
	f.StringArrayVar(&tags, "tag", nil, "a tag (repeat for more)")
	f.BoolVar(&asJSON, "json", false, "print the new annotation as JSON")
	return cmd
}

// parseColor reads a --color value; a bad one is a usage error.
func parseColor(s string) (annotations.Color, error) {
	c, err := annotations.ParseColor(s)
	if err != nil {
		return "", usageError{err}
	}
	return c, nil
}

func (r *runner) notesCommand() *cobra.Command {
	var (
		asJSON, trash bool
		tags, colors  []string
		author        string
	)
	cmd := &cobra.Command{
		Use:   "notes [ARTICLE]",
		Short: "List annotations (of one article, or all)",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := authorFlag(cmd, author); err != nil {
				return err
			}
			q := annotations.NotesQuery{Tags: tags, Author: author, Trash: trash}
			for _, s := range colors {
				c, err := parseColor(s)
				if err != nil {
					return err
				}
				q.Colors = append(q.Colors, c)
			}
			svc, err := r.readService()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				id, err := svc.ResolveArticle(args[0])
				if err != nil {
					return err
				}
				q.ArticleID = &id
			}
			list, err := svc.Notes(q)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return printJSON(out, jsonAnnotations(list))
			}
			labels, err := svc.ColorLabels()
			if err != nil {
				return err
			}
			var lastArticle uuid.UUID
			for i, a := range list {
				if q.ArticleID == nil && a.ArticleID != lastArticle {
					title := articleTitle(svc, a.ArticleID)
					if i > 0 {
						fmt.Fprintln(out)
					}
					fmt.Fprintf(out, "# %s (%s)\n", title, a.ArticleID)
					lastArticle = a.ArticleID
				}
				printAnnotation(out, a, labels)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print a JSON array")
	f.BoolVar(&trash, "trash", false, "list the annotations in the trash instead")
	f.StringArrayVar(&tags, "tag", nil, "only annotations with this tag (repeat: all of them)")
	f.StringArrayVar(&colors, "color", nil, "only annotations of this colour (repeat: any of them)")
	f.StringVar(&author, "author", "", "only annotations made by this author (any case or accents)")
	return cmd
}

func articleTitle(svc *annotations.Service, id uuid.UUID) string {
	a, err := svc.ArticleMeta(id)
	if err != nil {
		return "(unknown article)"
	}
	return a.Title
}

func (r *runner) editCommand() *cobra.Command {
	var (
		note, color   string
		tags, untags  []string
		asJSON, clear bool
	)
	cmd := &cobra.Command{
		Use:   "edit ID [--note TEXT] [--color C] [--tag T]... [--untag T]...",
		Short: "Change an annotation's note, colour or tags",
		Args:  exactArgs(1, "an annotation ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			flags := cmd.Flags()
			var c annotations.Change
			if flags.Changed("note") {
				c.Note = &note
			}
			if flags.Changed("color") {
				col, err := parseColor(color)
				if err != nil {
					return err
				}
				c.Color = &col
			}
			if clear {
				empty := []string{}
				c.Tags = &empty
			}
			c.AddTags, c.RemoveTags = tags, untags
			if c.Note == nil && c.Color == nil && c.Tags == nil && len(tags) == 0 && len(untags) == 0 {
				return usagef("nothing to change: give --note, --color, --tag, --untag or --clear-tags")
			}
			svc, err := r.service()
			if err != nil {
				return err
			}
			id, err := svc.ResolveAnnotation(args[0])
			if err != nil {
				return err
			}
			a, err := svc.Edit(id, c)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), jsonAnnotations([]annotations.Annotation{a})[0])
			}
			fmt.Fprintln(cmd.OutOrStdout(), a.ID)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&note, "note", "", "replace the note (Markdown; \"\" removes it)")
	f.StringVar(&color, "color", "", "change the colour")
	f.StringArrayVar(&tags, "tag", nil, "add a tag (repeatable)")
	f.StringArrayVar(&untags, "untag", nil, "remove a tag (repeatable)")
	f.BoolVar(&clear, "clear-tags", false, "remove every tag (before --tag adds)")
	f.BoolVar(&asJSON, "json", false, "print the changed annotation as JSON")
	return cmd
}

// trashCommand builds "rm" (toTrash) or "restore".
func (r *runner) trashCommand(toTrash bool) *cobra.Command {
	use, short := "restore ID...", "Take annotations out of the trash"
	if toTrash {
		use, short = "rm ID...", "Move annotations to the trash (gloss restore ID brings them back)"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  minArgs(1, "at least one annotation ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.service()
			if err != nil {
				return err
			}
			ids := make([]uuid.UUID, len(args))
			for i, arg := range args {
				if ids[i], err = svc.ResolveAnnotation(arg); err != nil {
					return err
				}
			}
			changed, err := svc.SetTrashed(ids, toTrash)
			if err != nil {
				return err
			}
			verb := "restored"
			if toTrash {
				verb = "moved to the trash"
			}
			for _, a := range changed {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", a.ID, verb)
			}
			return nil
		},
	}
}
