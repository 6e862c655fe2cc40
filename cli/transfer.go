package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	texttemplate "text/template"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/annotations/search"
)

func (r *runner) exportCommand() *cobra.Command {
	var (
		format, output, template, split, query string
		articles, tags, cols                   []string
	)
	cmd := &cobra.Command{
		Use:   "export [--format json|w3c|markdown|csv] [--article A]... [--tag T]... [--color C]... [--query Q] [-o FILE | --split DIR]",
		Short: "Export articles and annotations (to stdout unless -o)",
		Long: `Export the library, or part of it:
  json      Gloss's own format: a complete, portable copy with the articles'
            text (and the trash), which "gloss import" reads back
  w3c       a W3C Web Annotation collection (JSON-LD), for annotation tools
  markdown  per article a heading, then each highlight as a quote with its
            colour's meaning, note and #tags; --template FILE uses your own
            Go text/template; --split DIR writes one file per highlight
  csv       one row per highlight, for spreadsheets and pandas
The w3c, markdown and csv exports leave out the trash.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "json", "w3c", "markdown", "md", "csv":
			default:
				return usagef("unknown export format %q (use json, w3c, markdown or csv)", format)
			}
			if (template != "" || split != "") && format != "markdown" && format != "md" {
				return usagef("--template and --split go with --format markdown")
			}
			if split != "" && output != "" {
				return usagef("give either -o FILE or --split DIR, not both")
			}
			var tmpl *texttemplate.Template
			if template != "" {
				data, err := os.ReadFile(template)
				if err != nil {
					return err
				}
				if tmpl, err = formats.ParseTemplate(filepath.Base(template), string(data)); err != nil {
					return err
				}
			}
			f := annotations.ExportFilter{Tags: tags, SkipTrash: format != "json"}
			for _, s := range cols {
				c, err := parseColor(s)
				if err != nil {
					return err
				}
				f.Colors = append(f.Colors, c)
			}
			svc, err := r.service()
			if err != nil {
				return err
			}
			for _, a := range articles {
				id, err := svc.ResolveArticle(a)
				if err != nil {
					return err
				}
				f.ArticleIDs = append(f.ArticleIDs, id)
			}
			if query != "" {
				if err := search.Validate(query); err != nil {
					return usageError{err}
				}
				n, err := r.db.SearchCount()
				if err != nil {
					return err
				}
				hits, err := r.db.Search(query, n+1)
				if err != nil {
					return err
				}
				f.Only = make(map[uuid.UUID]bool, len(hits))
				for _, h := range hits {
					f.Only[h.ID] = true
				}
			}
			bundle, err := svc.Export(f)
			if err != nil {
				return err
			}
			labels, err := svc.ColorLabels()
			if err != nil {
				return err
			}
			if split != "" {
				written, err := formats.WriteMarkdownSplit(split, bundle, labels, tmpl)
				if err != nil {
					return err
				}
				for _, p := range written {
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				return nil
			}
			var buf bytes.Buffer
			switch format {
			case "json":
				err = formats.WriteNative(&buf, bundle, time.Now())
			case "w3c":
				err = formats.WriteW3C(&buf, bundle, labels, time.Now())
			case "markdown", "md":
				err = formats.WriteMarkdown(&buf, bundle, labels, tmpl)
			case "csv":
				err = formats.WriteCSV(&buf, bundle, labels)
			}
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err := cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			return writeFileAtomic(output, buf.Bytes())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "json", "json, w3c, markdown or csv")
	fl.StringArrayVar(&articles, "article", nil, "only this article (repeatable)")
	fl.StringArrayVar(&tags, "tag", nil, "only annotations with this tag (repeat: all of them)")
	fl.StringArrayVar(&cols, "color", nil, "only annotations of this colour (repeat: any of them)")
	fl.StringVar(&query, "query", "", "only annotations a search finds (the syntax of gloss search)")
	fl.StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	fl.StringVar(&template, "template", "", "markdown: a Go text/template FILE, run once per article (once per highlight with --split)")
	fl.StringVar(&split, "split", "", "markdown: write one file per highlight into DIR")
	return cmd
}

// writeFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path, so path never holds half an export.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func (r *runner) importCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Merge a Gloss JSON export, or W3C Web Annotations, into the library",
		Long: `Merge an export into the library in one transaction: records are matched by
ID (articles also by their text), and the newer version of each wins.
Annotations whose offsets do not fit their article are put back by their
quote, or orphaned. W3C Web Annotations (Gloss's own w3c export, or another
tool's TextQuote/TextPosition annotations) must be on articles already in the
library: they are found by the hash of their text or their URL. "-" reads
standard input.`,
		Args: exactArgs(1, "a FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readInput(args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			var rep annotations.ImportReport
			if formats.IsW3C(data) {
				read, err := formats.ReadW3C(data)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				ext := make([]annotations.ExternalAnnotation, len(read))
				for i, a := range read {
					ext[i] = annotations.ExternalAnnotation{Annotation: a.Annotation, Source: a.Source}
				}
				svc, err := r.service()
				if err != nil {
					return err
				}
				if rep, err = svc.ImportExternal(ext); err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
			} else {
				bundle, err := formats.ReadNative(data)
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				svc, err := r.service()
				if err != nil {
					return err
				}
				if rep, err = svc.Import(bundle); err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
			}
			if asJSON {
				return printJSON(cmd.OutOrStdout(), importJSON(rep))
			}
			fmt.Fprintln(cmd.OutOrStdout(), rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the counts as JSON")
	return cmd
}

func importJSON(r annotations.ImportReport) map[string]map[string]int {
	return map[string]map[string]int{
		"articles":    {"added": r.ArticlesAdded, "updated": r.ArticlesUpdated, "skipped": r.ArticlesSkipped},
		"annotations": {"added": r.AnnotationsAdded, "updated": r.AnnotationsUpdated, "skipped": r.AnnotationsSkipped, "reanchored": r.Reanchored, "orphaned": r.Orphaned},
	}
}

// readInput reads a whole input file ("-" is stdin), refusing folders and
// files over the import limit.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	var src io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a folder, not a file", name)
		}
		src = f
	}
	data, err := io.ReadAll(io.LimitReader(src, formats.MaxImportSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > formats.MaxImportSize {
		return nil, fmt.Errorf("%s is larger than %d MB", name, formats.MaxImportSize>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s is empty", name)
	}
	return data, nil
}
