package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
)

// shownArticle is what `gloss show --json` prints: the article's text and
// how it was set out, offsets in runes over text.
type shownArticle struct {
	ID     string                  `json:"id"`
	Title  string                  `json:"title"`
	Format annotations.Format      `json:"format"`
	Source string                  `json:"source,omitempty"`
	Text   string                  `json:"text"`
	Blocks []annotations.Block     `json:"blocks"`
	Spans  []annotations.StyleSpan `json:"spans"`
}

func (r *runner) showCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ARTICLE [--json]",
		Short: "Print an article's text (with --json, also its headings, lists, emphasis and links)",
		Args:  exactArgs(1, "ARTICLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.readService()
			if err != nil {
				return err
			}
			id, err := svc.ResolveArticle(args[0])
			if err != nil {
				return err
			}
			a, err := svc.Article(id)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !asJSON {
				_, err := io.WriteString(out, a.Text)
				if err == nil && a.Text != "" {
					_, err = fmt.Fprintln(out)
				}
				return err
			}
			st, err := svc.ArticleStructure(id)
			if err != nil {
				return err
			}
			shown := shownArticle{ID: a.ID.String(), Title: a.Title, Format: a.Format, Source: a.Source, Text: a.Text,
				Blocks: []annotations.Block{}, Spans: []annotations.StyleSpan{}}
			if st != nil {
				shown.Blocks = append(shown.Blocks, st.Blocks...)
				shown.Spans = append(shown.Spans, st.Spans...)
			}
			return printJSON(out, shown)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object: id, title, format, source, text, blocks and spans (offsets in runes over text)")
	return cmd
}
