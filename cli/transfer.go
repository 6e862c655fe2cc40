package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

func (r *runner) exportCommand() *cobra.Command {
	var (
		format, output       string
		articles, tags, cols []string
	)
	cmd := &cobra.Command{
		Use:   "export [--format json] [--article A]... [--tag T]... [-o FILE]",
		Short: "Export articles and annotations (to stdout unless -o)",
		Long: `Export the library, or part of it. The json format is Gloss's own: a complete,
portable copy with the articles' text, which "gloss import" reads back.
Annotations in the trash are included, marked with deleted_at.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" {
				return usagef("unknown export format %q (this version writes json)", format)
			}
			f := annotations.ExportFilter{Tags: tags}
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
			bundle, err := svc.Export(f)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := formats.WriteNative(&buf, bundle, time.Now()); err != nil {
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
	fl.StringVar(&format, "format", "json", "json")
	fl.StringArrayVar(&articles, "article", nil, "only this article (repeatable)")
	fl.StringArrayVar(&tags, "tag", nil, "only annotations with this tag (repeat: all of them)")
	fl.StringArrayVar(&cols, "color", nil, "only annotations of this colour (repeat: any of them)")
	fl.StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
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
		Short: "Merge a Gloss JSON export into the library",
		Long: `Merge an export into the library in one transaction: records are matched by
ID (articles also by their text), and the newer version of each wins.
Annotations whose offsets do not fit their article are put back by their
quote, or orphaned. "-" reads standard input.`,
		Args: exactArgs(1, "a FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readInput(args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			bundle, err := formats.ReadNative(data)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			svc, err := r.service()
			if err != nil {
				return err
			}
			rep, err := svc.Import(bundle)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
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
