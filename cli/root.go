// Package cli implements Gloss's command line: the verbs of DESIGN section 8
// on the same library the window uses.
//
// Contract: exit status 0 on success, 1 on failure, 2 on bad usage; every
// error is one line on stderr starting "gloss: ". --json prints the native
// JSON objects: a listing as one array, a single object as one object.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// GUI opens the window on the library at path, at the article with that ID
// prefix ("" for the last one read). It returns when the window closes.
type GUI func(library, article string) error

// Env is what the command line runs with.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// GUI opens the window; nil when this build has none.
	GUI GUI
	// CanOpenGUI, when not nil, says why the window cannot open here (no
	// display), before a command that would open it changes anything.
	CanOpenGUI func() error
	// Version is printed by --version.
	Version string
}

// usageError marks errors of the command line's use (exit status 2).
type usageError struct{ error }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Run runs the command line with args (without the program name) and
// returns the exit status.
func Run(args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	r := &runner{env: env}
	root := r.rootCommand()
	root.SetArgs(args)
	err := root.Execute()
	if cerr := r.close(); err == nil {
		err = cerr
	}
	if err == nil {
		return ExitOK
	}
	// Messages quote input short (annotations.QuoteInput); whatever slips
	// through, the line stays short.
	const maxErrorRunes = 300
	fmt.Fprintln(env.Stderr, "gloss: "+clip(oneLine(err.Error()), maxErrorRunes))
	var ue usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailure
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// runner holds what the verbs share: the flags of the root command and the
// library, opened on first use.
type runner struct {
	env    Env
	dbPath string
	db     *storage.DB
	svc    *annotations.Service
	// readOnly: the verb only reads (see readService).
	readOnly bool
	// printArticle, when set, prints an article a verb changed (--json).
	printArticle func(annotations.Article) error
}

func (r *runner) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gloss",
		Short: "Gloss: highlight and annotate articles, find every note again",
		Long: `Gloss opens an article's text, lets you highlight passages in colours with
meanings, attach Markdown notes and tags, and exports everything to JSON.
Run "gloss" alone to open the window, or use the verbs below on the same
library from scripts.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       r.env.Version,
		// "gloss FILE..." opens files (what a file manager's "Open with
		// Gloss" runs); any other word is a verb gloss does not have.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && !isFile(args[0]) {
				return unknownCommand(cmd, args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return r.openFiles(args)
			}
			if r.env.GUI == nil {
				return cmd.Help()
			}
			return r.env.GUI(r.libraryPath(), "")
		},
	}
	root.SetIn(r.env.Stdin)
	root.SetOut(r.env.Stdout)
	root.SetErr(r.env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&r.dbPath, "db", "", "library file (default: $GLOSS_DB, else "+storage.PlatformPath()+")")
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommand(helpCommand(root))
	root.AddCommand(
		r.openCommand(),
		r.addCommand(),
		r.articlesCommand(),
		r.showCommand(),
		r.highlightCommand(),
		r.notesCommand(),
		r.searchCommand(),
		r.editCommand(),
		r.trashCommand(true),
		r.trashCommand(false),
		r.articleCommand(),
		r.trashListCommand(),
		r.updateCommand(),
		r.colorsCommand(),
		r.authorCommand(),
		r.exportCommand(),
		r.importCommand(),
		r.backupCommand(),
		r.restoreBackupCommand(),
		r.checkCommand(),
		r.syncCommand(),
	)
	return root
}

func (r *runner) libraryPath() string {
	if r.dbPath != "" {
		return r.dbPath
	}
	return storage.DefaultPath()
}

// service opens the library (once) and returns the service on it. The
// library must exist: the verbs that only read, or that need an article
// already there, never create one (a typo in --db would make an empty
// library and hide the real one).
func (r *runner) service() (*annotations.Service, error) {
	return r.open(false)
}

// serviceCreating is service for the verbs that write something new (add,
// import, colors COLOR MEANING): a missing library is created, and stderr
// says where, once.
func (r *runner) serviceCreating() (*annotations.Service, error) {
	return r.open(true)
}

// readService opens the library for a verb that only reads it: no daily
// backup is made first (nothing is about to change), which on a library
// of a million annotations would cost the verb seconds once a day.
func (r *runner) readService() (*annotations.Service, error) {
	r.readOnly = true
	return r.open(false)
}

func (r *runner) open(create bool) (*annotations.Service, error) {
	if r.svc != nil {
		return r.svc, nil
	}
	db, err := storage.Open(r.libraryPath(), storage.Options{NoCreate: !create, NoAutoBackup: r.readOnly})
	if err != nil {
		return nil, libraryError(err)
	}
	if db.Created() {
		fmt.Fprintf(r.env.Stderr, "gloss: created a new library at %s\n", db.Path())
	}
	r.db, r.svc = db, annotations.NewService(db)
	return r.svc, nil
}

// libraryError adds what to do to an error of opening the library.
func libraryError(err error) error {
	if errors.Is(err, storage.ErrNoLibrary) {
		return fmt.Errorf("%w; check --db or %s (gloss add FILE creates one)", err, storage.EnvLibrary)
	}
	return err
}

func (r *runner) close() error {
	if r.db == nil {
		return nil
	}
	err := r.db.Close()
	r.db, r.svc = nil, nil
	return err
}

func (r *runner) openCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "open [ARTICLE | FILE...]",
		Short: "Open the window, at an article, or at files (added first if new)",
		Long: `Open the window at an article of the library (an ID or a unique prefix), or
at article files: they are added to the library first, as gloss add does
(the same text twice is the same article), and the window shows the last.
"gloss FILE..." does the same.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if r.env.GUI == nil {
				return errors.New("this build of gloss has no window")
			}
			switch {
			case len(args) == 0:
				return r.env.GUI(r.libraryPath(), "")
			case isFile(args[0]):
				return r.openFiles(args)
			case len(args) > 1:
				return usagef("open takes one ARTICLE, or FILEs (%s is not a file)", quoteArg(args[0]))
			}
			return r.env.GUI(r.libraryPath(), args[0])
		},
	}
}

// isFile reports whether name is a file or folder that exists (a path,
// not an article ID or a verb).
func isFile(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// openFiles adds article files to the library (creating it if need be)
// and opens the window at the last of them.
func (r *runner) openFiles(files []string) error {
	if r.env.GUI == nil {
		return errors.New("this build of gloss has no window")
	}
	if r.env.CanOpenGUI != nil {
		if err := r.env.CanOpenGUI(); err != nil {
			return err
		}
	}
	docs, read, _, err := readArticles(files, false)
	if err != nil {
		return err
	}
	svc, err := r.serviceCreating()
	if err != nil {
		return err
	}
	added, err := svc.AddArticles(docs)
	if err != nil {
		return err
	}
	if err := r.importPDFHighlights(svc, added, read); err != nil {
		return err
	}
	// The window opens the library itself: let go of it first.
	if err := r.close(); err != nil {
		return err
	}
	return r.env.GUI(r.libraryPath(), added[len(added)-1].Article.ID.String())
}

// unknownCommand is the error for a verb gloss does not have, suggesting
// the verbs it may be a typo of ("ad" → add).
func unknownCommand(root *cobra.Command, name string) error {
	if s := suggest(root, name); len(s) > 0 {
		return usagef("unknown command %s; did you mean %s? (see gloss --help)", quoteArg(name), strings.Join(s, " or "))
	}
	return usagef("unknown command %s (see gloss --help)", quoteArg(name))
}

// quoteArg quotes a command-line argument for a message, cut short.
func quoteArg(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return fmt.Sprintf("%q", s)
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) > n && n == 1:
			return usagef("%s takes one argument (%s), got %d: %s (see gloss %s --help)", cmd.Name(), strings.TrimPrefix(strings.TrimPrefix(what, "an "), "a "), len(args), strings.Join(quoteAll(args), " "), cmd.Name())
		case len(args) != n:
			return usagef("%s needs %s (see gloss %s --help)", cmd.Name(), what, cmd.Name())
		}
		return nil
	}
}

func quoteAll(args []string) []string {
	out := make([]string, min(len(args), 4))
	for i := range out {
		out[i] = quoteArg(args[i])
	}
	if len(args) > len(out) {
		out = append(out, "…")
	}
	return out
}

// helpCommand is "gloss help [VERB]": like cobra's, but an unknown verb is
// a usage error (exit 2), with suggestions.
func helpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [VERB]",
		Short: "Help about a verb",
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil || target == nil || len(rest) > 0 {
				name := strings.Join(args, " ")
				if len(rest) > 0 {
					name = rest[0]
				}
				return unknownCommand(root, name)
			}
			return target.Help()
		},
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("%s needs %s (see gloss %s --help)", cmd.Name(), what, cmd.Name())
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return usagef("%s takes at most %d argument(s), got %d (see gloss %s --help)", cmd.Name(), n, len(args), cmd.Name())
		}
		return nil
	}
}

// suggest returns the verbs name may be a typo of: those it begins, and
// those within an edit distance that grows with its length (1 for up to
// three letters, 2 from four) — cobra's own suggestions take a fixed
// distance, which offers "rm" for "frob".
func suggest(root *cobra.Command, name string) []string {
	typed := strings.ToLower(name)
	limit := 1 + len([]rune(typed))/4
	var out []string
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" {
			continue
		}
		verb := c.Name()
		if len(typed) >= 2 && strings.HasPrefix(verb, typed) || editDistance(typed, verb) <= limit {
			out = append(out, verb)
		}
	}
	return out
}

// editDistance is the Levenshtein distance of two strings, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
