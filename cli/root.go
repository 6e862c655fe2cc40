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
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
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
	root.AddCommand(
		r.openCommand(),
		r.addCommand(),
		r.articlesCommand(),
		r.highlightCommand(),
		r.notesCommand(),
		r.searchCommand(),
		r.editCommand(),
		r.trashCommand(true),
		r.trashCommand(false),
		r.updateCommand(),
		r.colorsCommand(),
		r.exportCommand(),
		r.importCommand(),
		r.backupCommand(),
		r.restoreBackupCommand(),
		r.checkCommand(),
	)
	return root
}

func (r *runner) libraryPath() string {
	if r.dbPath != "" {
		return r.dbPath
	}
	return storage.DefaultPath()
}

// service opens the library (once) and returns the service on it.
func (r *runner) service() (*annotations.Service, error) {
	if r.svc != nil {
		return r.svc, nil
	}
	db, err := storage.Open(r.libraryPath(), storage.Options{})
	if err != nil {
		return nil, err
	}
	r.db, r.svc = db, annotations.NewService(db)
	return r.svc, nil
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
		Use:   "open [ARTICLE]",
		Short: "Open the window, at an article",
		Args:  maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if r.env.GUI == nil {
				return errors.New("this build of gloss has no window")
			}
			article := ""
			if len(args) == 1 {
				article = args[0]
			}
			return r.env.GUI(r.libraryPath(), article)
		},
	}
}

// Argument checks that report usage errors.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q (see gloss --help)", args[0])
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s (see gloss %s --help)", cmd.Name(), what, cmd.Name())
		}
		return nil
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
