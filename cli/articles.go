package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

func (r *runner) addCommand() *cobra.Command {
	var (
		asJSON bool
		title  string
	)
	var skipPDF, images bool
	cmd := &cobra.Command{
		Use:   "add FILE|URL...",
		Short: "Add articles (.txt, .md, .html, .epub, .pdf, or a web page by its address) to the library",
		Long: `Add articles to the library and print "ID<TAB>TITLE" for each. Text files,
Markdown and HTML pages are read (HTML is reduced to the readable article),
and EPUB books (their chapters in reading order; not with DRM). An http or
https address is fetched once (that page only: no images unless --images,
no scripts or other resources; at most 5 redirects, 30 s, 50 MB) and read
as a file would be; the address is kept as its source. With --images the
page's pictures are fetched too and kept with it (PNG, JPEG and GIF; at
most 50, 8 MB each, 50 MB and 60 s in all). The pictures of an HTML or
Markdown file that sit in its folder, and those of an EPUB book, are always
kept. PDFs are read as their text layer, kept with their pages; highlights
another reader saved in a PDF come in as Gloss highlights (their colour the
nearest of the eight, their comment the note) unless --no-pdf-highlights.
Adding the same text twice gives the ID of the article already there. When one
file cannot be read, none is added.`,
		Args: minArgs(1, "at least one FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if title != "" && len(args) > 1 {
				return usagef("--title goes with one FILE")
			}
			docs, read, skipped, err := readArticles(args, images)
			if err != nil {
				return err
			}
			if title != "" {
				docs[0].Title = title
			}
			svc, err := r.serviceCreating()
			if err != nil {
				return err
			}
			added, err := svc.AddArticles(docs)
			if err != nil {
				return err
			}
			if !skipPDF {
				if err := r.importPDFHighlights(svc, added, read); err != nil {
					return err
				}
			}
			if asJSON {
				list := make([]annotations.Article, len(added))
				for i, a := range added {
					list[i] = a.Article
				}
				return printJSON(cmd.OutOrStdout(), list)
			}
			for i, a := range added {
				if l := read[i].Layout; l != nil && !formats.HasTextLayer(l) {
					fmt.Fprintf(r.env.Stderr, "gloss: %s has no text layer (scanned pages?): its pages are kept, but highlights need text: run OCR on it (for example ocrmypdf) and add it again\n", a.Article.Title)
				}
				if n := len(read[i].Images); n > 0 && a.Created {
					fmt.Fprintf(r.env.Stderr, "gloss: %d picture%s kept with %s%s\n", n, plural(n), a.Article.Title, notKept(skipped[i]))
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", a.Article.ID, a.Article.Title)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the articles as a JSON array")
	cmd.Flags().StringVar(&title, "title", "", "the article's title (instead of the one found in the file)")
	cmd.Flags().BoolVar(&skipPDF, "no-pdf-highlights", false, "leave out the highlights saved in a PDF by another reader")
	cmd.Flags().BoolVar(&images, "images", false, "also fetch and keep the pictures of web pages (only for web pages: a file's own pictures are always kept)")
	return cmd
}

func (r *runner) articlesCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "articles",
		Short: "List the articles, most recently changed first",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.readService()
			if err != nil {
				return err
			}
			list, err := svc.Articles()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if list == nil {
					list = []annotations.ArticleSummary{}
				}
				return printJSON(out, list)
			}
			for _, a := range list {
				fmt.Fprintf(out, "%s\t%s\t%d highlight%s\t%s\n", a.ID, localTime(a.AddedAt), a.Highlights, plural(a.Highlights), a.Title)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// notKept is how a message on pictures kept ends when skipped could
// not be: said, since the page shows them and the article will not.
func notKept(skipped int) string {
	if skipped == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d could not be)", skipped)
}

// readArticles reads article files for the library, their sources made
// absolute, and fetches web pages, with their pictures when images is
// set. skipped counts, per article, the pictures of a web page not kept.
func readArticles(files []string, images bool) (docs []annotations.NewArticle, read []formats.Document, skipped []int, err error) {
	docs = make([]annotations.NewArticle, len(files))
	read = make([]formats.Document, len(files))
	skipped = make([]int, len(files))
	for i, name := range files {
		if formats.IsWebAddress(name) {
			f, err := formats.FetchArticleWith(context.Background(), name, formats.FetchOptions{Images: images})
			if err != nil {
				return nil, nil, nil, err
			}
			docs[i], read[i], skipped[i] = f.Document.NewArticle(f.Final), f.Document, f.ImagesSkipped
			continue
		}
		doc, err := formats.ReadArticleFile(name)
		if err != nil {
			return nil, nil, nil, err
		}
		source, err := filepath.Abs(name)
		if err != nil {
			source = name
		}
		docs[i], read[i] = doc.NewArticle(source), doc
	}
	return docs, read, skipped, nil
}

// importPDFHighlights brings in, in one transaction, the highlights found
// in the PDFs just added (not in those the library held already), and
// says how many on standard error.
func (r *runner) importPDFHighlights(svc *annotations.Service, added []annotations.Added, read []formats.Document) error {
	var all []annotations.ExternalAnnotation
	for i, a := range added {
		if a.Created && len(read[i].Highlights) > 0 {
			found := read[i].PDFAnnotations(a.Article.ID, svc.NewID, time.Now().UTC())
			all = append(all, found...)
			fmt.Fprintf(r.env.Stderr, "gloss: %d highlight%s saved in %s by another reader brought in\n", len(found), plural(len(found)), a.Article.Title)
		}
	}
	if len(all) == 0 {
		return nil
	}
	_, err := svc.ImportExternal(all)
	return err
}
