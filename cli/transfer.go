package cli

import (
	"bufio"
	"bytes"
	"errors"
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
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/outfile"
)

func (r *runner) exportCommand() *cobra.Command {
	var (
		format, output, template, split, query string
		author                                 string
		articles, tags, cols                   []string
	)
	cmd := &cobra.Command{
		Use:   "export [--format json|w3c|markdown|csv|pdf] [--article A]... [--tag T]... [--color C]... [--author NAME] [--query Q] [-o FILE | --split DIR]",
		Short: "Export to Gloss JSON, W3C JSON-LD, Markdown, CSV or a PDF (to stdout unless -o)",
		Long: `Export the library, or part of it:
  json      Gloss's own format: a complete, portable copy with the articles'
            text (and the trash), which "gloss import" reads back
  w3c       a W3C Web Annotation collection (JSON-LD), for annotation tools
  markdown  per article a heading, then each highlight as a quote with its
            colour's meaning, note and #tags; --template FILE uses your own
            Go text/template; --split DIR writes one file per highlight
  csv       one row per highlight, for spreadsheets and pandas
  pdf       a PDF article (one --article) with its highlights saved in it as
            standard PDF highlight annotations (colour, note as the comment,
            tags as the subject), for any PDF reader
The w3c, markdown, csv and pdf exports leave out the trash.
-o FILE is replaced whole or not at all (written beside it, then renamed); a
symbolic link is followed to its file; a device or pipe (/dev/stdout, a FIFO)
is written into. The library and its backups folder are refused.`,
		Args: maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "json", "w3c", "markdown", "md", "csv":
			case "pdf":
				if len(articles) != 1 {
					return usagef("--format pdf exports one PDF article: name it with --article")
				}
			default:
				return usagef("unknown export format %q (use json, w3c, markdown, csv or pdf)", format)
			}
			if (template != "" || split != "") && format != "markdown" && format != "md" {
				return usagef("--template and --split go with --format markdown")
			}
			if split != "" && output != "" {
				return usagef("give either -o FILE or --split DIR, not both")
			}
			var tmpl *texttemplate.Template
			if template != "" {
				text, err := formats.ReadTemplateFile(template)
				if err != nil {
					return err
				}
				if tmpl, err = formats.ParseTemplate(filepath.Base(template), text); err != nil {
					return err
				}
			}
			// Refuse an output that is the library or its backups before
			// any work (outfile.Write checks again when it writes).
			guard := storage.OutputGuard(r.libraryPath())
			if output != "" && output != "-" {
				if err := guard.Check(output); err != nil {
					return fmt.Errorf("writing %s: %w", output, err)
				}
			}
			if err := authorFlag(cmd, author); err != nil {
				return err
			}
			f := annotations.ExportFilter{Tags: tags, Author: author, SkipTrash: format != "json"}
			for _, s := range cols {
				c, err := parseColor(s)
				if err != nil {
					return err
				}
				f.Colors = append(f.Colors, c)
			}
			svc, err := r.readService()
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
			labels, err := svc.ColorLabels()
			if err != nil {
				return err
			}
			// Gloss JSON and CSV are written as the library is read, a
			// record at a time; the other formats gather the export first.
			streamed := (format == "json" || format == "csv") && split == ""
			var bundle annotations.Bundle
			if !streamed {
				if bundle, err = svc.Export(f); err != nil {
					return err
				}
			}
			if split != "" {
				written, err := formats.WriteMarkdownSplit(split, bundle, labels, tmpl, guard.Check)
				if err != nil {
					return err
				}
				for _, p := range written {
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				return nil
			}
			write := func(w io.Writer) error {
				switch format {
				case "json", "csv":
					var sink interface {
						annotations.ExportSink
						Close() error
					}
					if format == "json" {
						sink = formats.NewNativeWriter(w, time.Now())
					} else {
						sink = formats.NewCSVWriter(w, labels)
					}
					bar := startProgress(r.env.Stderr, "exporting", 0, formatAnnotations)
					defer bar.finish()
					if err := svc.ExportTo(f, &countingSink{ExportSink: sink, bar: bar}); err != nil {
						return err
					}
					return sink.Close()
				case "w3c":
					return formats.WriteW3C(w, bundle, labels, time.Now())
				case "pdf":
					file, _, err := svc.ArticleFile(f.ArticleIDs[0])
					if errors.Is(err, annotations.ErrNotFound) {
						return fmt.Errorf("%w: the article is not a PDF (or was imported without its file)", formats.ErrNoPages)
					} else if err != nil {
						return err
					}
					out, err := formats.WritePDF(file, bundle.Annotations, labels)
					if err != nil {
						return err
					}
					_, err = w.Write(out)
					return err
				default:
					return formats.WriteMarkdown(w, bundle, labels, tmpl)
				}
			}
			if output != "" && output != "-" {
				// Streamed into the file (a temporary one beside it,
				// renamed when whole); new files follow the umask.
				return outfile.Write(output, outfile.Options{Perm: 0o666, Guard: guard}, write)
			}
			// Standard output gets the export only when it is whole, and
			// never when it is the library ("gloss export >> library.db").
			if f, ok := cmd.OutOrStdout().(*os.File); ok {
				if fi, err := f.Stat(); err == nil {
					if err := guard.CheckFile("standard output", fi); err != nil {
						return err
					}
				}
			}
			// Held until whole: in memory, and past spillSize in a
			// temporary file (a large export must not fill the memory).
			buf := &spillBuffer{}
			defer buf.discard()
			if err := write(buf); err != nil {
				return err
			}
			return buf.copyTo(cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "json", "json, w3c, markdown, csv or pdf")
	fl.StringArrayVar(&articles, "article", nil, "only this article (repeatable)")
	fl.StringArrayVar(&tags, "tag", nil, "only annotations with this tag (repeat: all of them)")
	fl.StringArrayVar(&cols, "color", nil, "only annotations of this colour (repeat: any of them)")
	fl.StringVar(&author, "author", "", "only annotations made by this author (any case or accents)")
	fl.StringVar(&query, "query", "", "only annotations a search finds (the syntax of gloss search)")
	fl.StringVarP(&output, "output", "o", "", "write to FILE instead of stdout")
	fl.StringVar(&template, "template", "", "markdown: a Go text/template FILE, run once per article (once per highlight with --split)")
	fl.StringVar(&split, "split", "", "markdown: write one file per highlight into DIR")
	return cmd
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
			in, err := openInput(args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			defer in.close()
			rep, err := r.importInput(in)
			if err != nil {
				return err
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

// importInput is a file being imported ("-" is stdin), opened for
// reading: a name that is not a regular file (a device, a pipe, a folder)
// is refused before it is opened, a file over the import limit by its
// size, and an input that cannot be JSON after its first bytes before the
// rest is read. A UTF-8 byte order mark is dropped.
type importInput struct {
	name string
	r    *bufio.Reader
	// size is the file's size, or -1 (stdin).
	size  int64
	read  *countedReader
	close func() error
}

// w3cSniffSize is how much of an import the W3C test looks at before it
// reads the whole file to tell (see formats.SniffW3C).
const w3cSniffSize = 1 << 20

// errInputTooLarge is returned by the reads of an input over the import
// limit.
var errInputTooLarge = errors.New("the input is over the import limit")

func openInput(name string, stdin io.Reader) (*importInput, error) {
	in := &importInput{name: name, size: -1, close: func() error { return nil }}
	var src io.Reader = stdin
	if name != "-" {
		f, err := openRegular(name, formats.MaxImportSize)
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err == nil {
			in.size = fi.Size()
		}
		src, in.close = f, f.Close
	}
	in.read = &countedReader{r: src, limit: formats.MaxImportSize}
	br := bufio.NewReaderSize(in.read, sniffSize)
	empty, err := sniffJSON(name, br)
	if err == nil && empty {
		err = fmt.Errorf("%s is empty", name)
	}
	if err != nil {
		in.close()
		return nil, in.fail(err)
	}
	in.r = bufio.NewReaderSize(br, w3cSniffSize)
	return in, nil
}

// fail words a read error of the input.
func (in *importInput) fail(err error) error {
	if errors.Is(err, errInputTooLarge) {
		return fmt.Errorf("%s is larger than %d MB", in.name, formats.MaxImportSize>>20)
	}
	return err
}

// readAll reads the rest of the input, bounded by the import limit.
func (in *importInput) readAll() ([]byte, error) {
	data, err := io.ReadAll(in.r)
	if err != nil {
		return nil, in.fail(fmt.Errorf("%s: %w", in.name, err))
	}
	return data, nil
}

// importInput merges the input into the library: a W3C file (found by its
// first bytes, or the whole file when they do not tell) is read whole, a
// Gloss export as it is imported, with the progress on stderr.
func (r *runner) importInput(in *importInput) (annotations.ImportReport, error) {
	var rep annotations.ImportReport
	head, err := in.r.Peek(w3cSniffSize)
	if err != nil && err != io.EOF {
		return rep, in.fail(fmt.Errorf("%s: %w", in.name, err))
	}
	isW3C, sure := formats.SniffW3C(head)
	var data []byte // the whole input, when it had to be read
	if !sure && err == nil {
		if data, err = in.readAll(); err != nil {
			return rep, err
		}
		isW3C = formats.IsW3C(data)
	}
	if isW3C {
		if data == nil {
			if data, err = in.readAll(); err != nil {
				return rep, err
			}
		}
		read, err := formats.ReadW3C(data)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", in.name, err)
		}
		ext := make([]annotations.ExternalAnnotation, len(read))
		for i, a := range read {
			ext[i] = annotations.ExternalAnnotation{Annotation: a.Annotation, Source: a.Source}
		}
		svc, err := r.serviceCreating()
		if err != nil {
			return rep, err
		}
		if rep, err = svc.ImportExternal(ext); err != nil {
			return rep, fmt.Errorf("%s: %w", in.name, err)
		}
		return rep, nil
	}
	var src io.Reader = in.r
	if data != nil {
		src = bytes.NewReader(data)
	}
	bar := startProgress(r.env.Stderr, "importing", in.size, formatMB)
	defer bar.finish()
	in.read.progress = bar
	nr := formats.NewNativeReader(src)
	// A file that is not a Gloss export is refused before a library is
	// made for it.
	if err := nr.ReadHead(); err != nil {
		return rep, in.fail(fmt.Errorf("%s: %w", in.name, err))
	}
	svc, err := r.serviceCreating()
	if err != nil {
		return rep, err
	}
	if rep, err = svc.ImportStream(nr, in.size < 0 || in.size > largeImport); err != nil {
		return rep, in.fail(fmt.Errorf("%s: %w", in.name, err))
	}
	return rep, nil
}

// largeImport is the size of an import file from which it is written in
// batches to a copy of the library (annotations.LargeStore): bounded
// memory for the cost of copying the library once. Standard input, of
// unknown size, counts as large.
var largeImport int64 = 32 << 20

// countedReader counts what is read through it, tells a progress, and
// fails with errInputTooLarge past its limit.
type countedReader struct {
	r        io.Reader
	n, limit int64
	progress *progress
}

func (c *countedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil {
		c.progress.set(c.n)
		if err == io.EOF {
			c.progress.phase("writing the library")
		}
	}
	if c.n > c.limit {
		return n, errInputTooLarge
	}
	return n, err
}

// openRegular opens name for reading when it is a regular file of at most
// limit bytes; anything else is refused before it is opened (opening a
// pipe waits for a writer; a device never ends).
func openRegular(name string, limit int64) (*os.File, error) {
	fi, err := os.Stat(name)
	switch {
	case err != nil:
		return nil, err
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a file", name)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a file: it is %s (to read a stream, give - and pipe it in)", name, outfile.Kind(fi.Mode()))
	case fi.Size() > limit:
		return nil, fmt.Errorf("%s is larger than %d MB", name, limit>>20)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, fmt.Errorf("%s changed while it was opened", name)
	}
	return f, nil
}

// sniffSize bounds the white space sniffJSON looks through.
const sniffSize = 64 << 10

// sniffJSON refuses an input that cannot be JSON: after a byte order mark
// and white space, a JSON export starts with '{' (or '['). It looks at no
// more than sniffSize bytes, drops the byte order mark from br, and says
// whether there is nothing but white space (empty).
func sniffJSON(name string, br *bufio.Reader) (empty bool, err error) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	for i := 0; ; i++ {
		b, err := br.Peek(i + 1)
		switch {
		case err == io.EOF:
			return true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			return false, fmt.Errorf("%s is not JSON: it starts with %d KB of white space", name, sniffSize>>10)
		case err != nil:
			return false, fmt.Errorf("%s: %w", name, err)
		}
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return false, nil
		}
		head, _ := br.Peek(i + 24)
		return false, fmt.Errorf("%s is not JSON: it starts with %q (gloss import reads Gloss and W3C JSON exports)", name, bytes.ToValidUTF8(head[i:], []byte("?")))
	}
}

// countingSink counts the annotations an export writes, for its progress.
type countingSink struct {
	annotations.ExportSink
	bar *progress
	n   int64
}

func (c *countingSink) Annotation(a annotations.Annotation) error {
	c.n++
	c.bar.set(c.n)
	return c.ExportSink.Annotation(a)
}

// spillSize is how much of an export to standard output is held in memory;
// past it, the rest goes to a temporary file.
var spillSize = 32 << 20

// spillBuffer holds an export until it is whole: in memory up to
// spillSize, then in a temporary file, removed by discard.
type spillBuffer struct {
	mem     bytes.Buffer
	file    *os.File
	removed bool
}

func (b *spillBuffer) Write(p []byte) (int, error) {
	if b.file == nil && b.mem.Len()+len(p) > spillSize {
		f, err := os.CreateTemp("", "gloss-export-*")
		if err != nil {
			return 0, fmt.Errorf("a temporary file for the export: %w", err)
		}
		b.file = f
		// Gone from the folder at once (where the system allows): a
		// killed run leaves no copy of the notes behind.
		if os.Remove(f.Name()) == nil {
			b.removed = true
		}
		if _, err := f.Write(b.mem.Bytes()); err != nil {
			return 0, err
		}
		b.mem = bytes.Buffer{}
	}
	if b.file != nil {
		return b.file.Write(p)
	}
	return b.mem.Write(p)
}

// copyTo writes what was held to w.
func (b *spillBuffer) copyTo(w io.Writer) error {
	if b.file == nil {
		_, err := w.Write(b.mem.Bytes())
		return err
	}
	if _, err := b.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, b.file)
	return err
}

func (b *spillBuffer) discard() {
	if b.file != nil {
		b.file.Close()
		if !b.removed {
			os.Remove(b.file.Name())
		}
	}
}
