package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

func (r *runner) updateCommand() *cobra.Command {
	var asJSON, undo bool
	cmd := &cobra.Command{
		Use:   "update ARTICLE FILE | update --undo ARTICLE",
		Short: "Replace an article's text with a revised version and re-anchor its highlights",
		Long: `Replace an article's text with a revised version (a corrected or updated copy)
and put every highlight back on the new text: in place when its passage is
unchanged (anchored), on the passage as it now reads when it was edited
(fuzzy: what it said before is kept), or nowhere when it is gone (orphaned:
its quote and note are kept). Prints the counts per status; --json prints
each annotation's new status and target. --undo puts the previous text and
highlights back.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if undo && len(args) != 1 {
				return usagef("update --undo needs an ARTICLE")
			}
			if !undo && len(args) != 2 {
				return usagef("update needs an ARTICLE and the FILE with its new text (see gloss update --help)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var doc formats.Document
			if !undo {
				var err error
				if doc, err = formats.ReadArticleFile(args[1]); err != nil {
					return err
				}
			}
			svc, err := r.service()
			if err != nil {
				return err
			}
			id, err := svc.ResolveArticle(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if undo {
				a, err := svc.UndoUpdate(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s\tthe previous text and highlights are back\n", a.ID)
				return nil
			}
			source, err := filepath.Abs(args[1])
			if err != nil {
				source = args[1]
			}
			// With its structure and pictures; a revision keeps no file
			// (a PDF's text may replace a text article's, as before).
			na := doc.NewArticle(source)
			na.File, na.Layout = nil, nil
			rep, err := svc.UpdateArticle(id, na)
			if err != nil {
				return err
			}
			if asJSON {
				type entry struct {
					ID       string             `json:"id"`
					Status   annotations.Status `json:"status"`
					Target   annotations.Target `json:"target"`
					Previous string             `json:"previous,omitempty"`
				}
				list := make([]entry, len(rep.Annotations))
				for i, a := range rep.Annotations {
					list[i] = entry{a.ID.String(), a.Status, a.Target, a.Previous}
				}
				return printJSON(out, list)
			}
			fmt.Fprintf(out, "%s\t%s\n", rep.Article.ID, rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print each annotation's new status and target")
	cmd.Flags().BoolVar(&undo, "undo", false, "put the previous text and highlights back")
	return cmd
}
