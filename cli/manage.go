package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
)

// articleCommand is "gloss article rm|restore|rename|set": managing
// articles themselves (their highlights have rm, restore and edit).
func (r *runner) articleCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "article rm|restore|rename|set ARTICLE ...",
		Short: "Move an article to the trash (with its highlights) or back, rename it, set its details",
		Long: `Manage an article (an ID or a unique prefix):

  gloss article rm ARTICLE            to the trash, with its highlights
  gloss article restore ARTICLE       back, with the highlights that went with it
  gloss article rename ARTICLE TITLE
  gloss article set ARTICLE [--title T] [--source S] [--author NAME]...
        [--year Y] [--doi DOI] [--url URL] [--clear-authors]

"gloss trash" lists what is in the trash.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("article needs rm, restore, rename or set (see gloss article --help)")
			}
			return unknownCommand(cmd, args[0])
		},
	}
	cmd.AddCommand(r.articleTrashCommand(true), r.articleTrashCommand(false), r.articleRenameCommand(), r.articleSetCommand())
	return cmd
}

func (r *runner) articleTrashCommand(toTrash bool) *cobra.Command {
	use, short := "restore ARTICLE", "Take an article out of the trash, with the highlights that went with it"
	if toTrash {
		use, short = "rm ARTICLE", "Move an article to the trash, with its highlights"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(1, "an ARTICLE ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.service()
			if err != nil {
				return err
			}
			id, err := svc.ResolveArticle(args[0])
			if err != nil {
				return err
			}
			var a annotations.Article
			verb := "restored"
			if toTrash {
				a, err = svc.TrashArticle(id)
				verb = "moved to the trash"
			} else {
				a, err = svc.RestoreArticle(id)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\n", a.ID, a.Title, verb)
			return nil
		},
	}
}

func (r *runner) articleRenameCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rename ARTICLE TITLE",
		Short: "Give an article another title",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("rename needs an ARTICLE ID and a TITLE (quote a title of several words)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return r.editArticle(cmd, args[0], annotations.ArticleEdit{Title: &args[1]})
		},
	}
}

func (r *runner) articleSetCommand() *cobra.Command {
	var (
		title, source, doi, url string
		year                    int
		authors                 []string
		clearAuthors, asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "set ARTICLE [--title T] [--source S] [--author NAME]... [--year Y] [--doi DOI] [--url URL]",
		Short: "Set an article's title, source and what it is cited by",
		Long: `Set an article's details: its title, its source (the file or address it came
from), and what it is cited by: its authors (--author, once per author, in
order; they replace the authors it had), year, DOI and web address. An empty
value ("") clears one; --clear-authors clears the authors.`,
		Args: exactArgs(1, "an ARTICLE ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			var e annotations.ArticleEdit
			if f.Changed("title") {
				e.Title = &title
			}
			if f.Changed("source") {
				e.Source = &source
			}
			citing := f.Changed("author") || clearAuthors || f.Changed("year") || f.Changed("doi") || f.Changed("url")
			if e.Title == nil && e.Source == nil && !citing {
				return usagef("nothing to set: give --title, --source, --author, --year, --doi or --url")
			}
			if citing {
				svc, err := r.service()
				if err != nil {
					return err
				}
				id, err := svc.ResolveArticle(args[0])
				if err != nil {
					return err
				}
				a, err := svc.ArticleMeta(id)
				if err != nil {
					return err
				}
				c := a.Citation
				if f.Changed("author") || clearAuthors {
					c.Authors = authors
				}
				if f.Changed("year") {
					c.Year = year
				}
				if f.Changed("doi") {
					c.DOI = doi
				}
				if f.Changed("url") {
					c.URL = url
				}
				e.Citation = &c
			}
			if asJSON {
				r.printArticle = func(a annotations.Article) error { return printJSON(cmd.OutOrStdout(), a) }
			}
			return r.editArticle(cmd, args[0], e)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&title, "title", "", "the title")
	fl.StringVar(&source, "source", "", "the file path or web address it came from")
	fl.StringArrayVar(&authors, "author", nil, "an author (repeat, in order; replaces the authors)")
	fl.BoolVar(&clearAuthors, "clear-authors", false, "remove every author")
	fl.IntVar(&year, "year", 0, "the year it was published (0 clears it)")
	fl.StringVar(&doi, "doi", "", "its DOI (10.1000/xyz, doi:… or https://doi.org/…)")
	fl.StringVar(&url, "url", "", "its web address")
	fl.BoolVar(&asJSON, "json", false, "print the article as JSON")
	return cmd
}

// editArticle applies e to an article and prints it.
func (r *runner) editArticle(cmd *cobra.Command, prefix string, e annotations.ArticleEdit) error {
	svc, err := r.service()
	if err != nil {
		return err
	}
	id, err := svc.ResolveArticle(prefix)
	if err != nil {
		return err
	}
	a, err := svc.EditArticle(id, e)
	if err != nil {
		return err
	}
	if r.printArticle != nil {
		return r.printArticle(a)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s\t%s\n", a.ID, a.Title)
	if c := a.Cite(); c != "" {
		fmt.Fprintf(out, "  %s\n", c)
	}
	if a.URL != "" {
		fmt.Fprintf(out, "  %s\n", a.URL)
	}
	return nil
}

// trashListCommand is "gloss trash": what is in the trash.
func (r *runner) trashListCommand() *cobra.Command {
	var asJSON, empty, yes bool
	cmd := &cobra.Command{
		Use:   "trash [--json] | trash --empty [--yes]",
		Short: "List the articles and highlights in the trash, or empty it",
		Long: `List what is in the trash: articles (with their highlights) and highlights
moved there on their own. "gloss article restore ARTICLE" and "gloss restore
ID" bring them back.

--empty deletes everything in the trash for good, after asking (--yes does
not ask). It cannot be undone; a backup ("gloss backup FILE") can keep a copy
first.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if empty {
				return r.emptyTrash(cmd, yes)
			}
			svc, err := r.readService()
			if err != nil {
				return err
			}
			arts, err := svc.TrashedArticles()
			if err != nil {
				return err
			}
			notes, err := svc.Notes(annotations.NotesQuery{Trash: true})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if arts == nil {
					arts = []annotations.Article{}
				}
				return printJSON(out, map[string]any{"articles": arts, "annotations": jsonAnnotations(notes)})
			}
			trashedArticle := map[string]bool{}
			for _, a := range arts {
				trashedArticle[a.ID.String()] = true
			}
			if len(arts) > 0 {
				fmt.Fprintln(out, "Articles:")
				for _, a := range arts {
					fmt.Fprintf(out, "%s\t%s\tin the trash since %s\n", a.ID, a.Title, localTime(*a.DeletedAt))
				}
			}
			var alone []annotations.Annotation
			for _, n := range notes {
				if !trashedArticle[n.ArticleID.String()] {
					alone = append(alone, n)
				}
			}
			if len(alone) > 0 {
				if len(arts) > 0 {
					fmt.Fprintln(out)
				}
				fmt.Fprintln(out, "Highlights:")
				labels, err := svc.ColorLabels()
				if err != nil {
					return err
				}
				for _, n := range alone {
					printAnnotation(out, n, labels)
				}
			}
			if len(arts) == 0 && len(alone) == 0 {
				fmt.Fprintln(out, "The trash is empty.")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"articles": [...], "annotations": [...]}`)
	cmd.Flags().BoolVar(&empty, "empty", false, "delete everything in the trash for good")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "with --empty: do not ask")
	return cmd
}

// emptyTrash deletes what is in the trash, after asking.
func (r *runner) emptyTrash(cmd *cobra.Command, yes bool) error {
	svc, err := r.service()
	if err != nil {
		return err
	}
	arts, err := svc.TrashedArticles()
	if err != nil {
		return err
	}
	notes, err := svc.Notes(annotations.NotesQuery{Trash: true})
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if len(arts) == 0 && len(notes) == 0 {
		fmt.Fprintln(out, "The trash is empty.")
		return nil
	}
	if !yes {
		fmt.Fprintf(out, "Delete %d article%s and %d highlight%s in the trash for good? This cannot be undone. [y/N] ",
			len(arts), plural(len(arts)), len(notes), plural(len(notes)))
		answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(out)
			return errors.New("nothing was deleted")
		}
	}
	got, err := svc.EmptyTrash()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "deleted %d article%s and %d highlight%s for good\n", got.Articles, plural(got.Articles), got.Annotations, plural(got.Annotations))
	return nil
}
