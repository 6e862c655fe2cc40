package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
)

func (r *runner) authorCommand() *cobra.Command {
	var clear bool
	cmd := &cobra.Command{
		Use:   "author [NAME | --clear]",
		Short: "Show or set this device's author name, given to the highlights made here",
		Long: `Show or set the name of who annotates on this device: every highlight made
from then on, in the window or with "gloss highlight", carries it, so that a
team sharing one library sees who made what ("gloss notes --author NAME",
search author:NAME). Highlights keep the author who made them: editing one
does not change it, nor does setting another name. The name belongs to this
library file; it is neither exported nor synced.

With no NAME, prints the name set (nothing when none is). --clear removes it.
A name is trimmed, its inner white space made single spaces; at most ` + fmt.Sprint(annotations.MaxAuthorName) + `
characters, no control characters.`,
		Example: `  gloss author
  gloss author "Ana Lima"
  gloss author --clear`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			switch {
			case clear && len(args) > 0:
				return usagef("give a NAME or --clear, not both")
			case clear:
				svc, err := r.service()
				if err != nil {
					return err
				}
				return svc.SetAuthor("")
			case len(args) == 1:
				if strings.TrimSpace(args[0]) == "" {
					return usagef("the author name is empty (gloss author --clear removes it)")
				}
				if _, err := annotations.NormalizeAuthor(args[0]); err != nil {
					return authorError(err)
				}
				svc, err := r.serviceCreating()
				if err != nil {
					return err
				}
				if err := svc.SetAuthor(args[0]); err != nil {
					return authorError(err)
				}
				name, err := svc.Author()
				if err != nil {
					return err
				}
				fmt.Fprintln(out, name)
				return nil
			}
			svc, err := r.readService()
			if err != nil {
				return err
			}
			name, err := svc.Author()
			if err != nil {
				return err
			}
			if name == "" {
				fmt.Fprintln(r.env.Stderr, `gloss: no author name is set for this library (gloss author NAME sets one)`)
				return nil
			}
			fmt.Fprintln(out, name)
			return nil
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the author name")
	return cmd
}

// authorError makes a name that cannot be an author's a usage error (exit
// status 2), as a bad --color is.
func authorError(err error) error {
	if errors.Is(err, annotations.ErrInvalidAuthor) || errors.Is(err, annotations.ErrInvalidText) {
		return usageError{err}
	}
	return err
}

// authorFlag checks an --author filter: a usage error when it is given
// blank, since it would select nothing anyone asked for.
func authorFlag(cmd *cobra.Command, author string) error {
	if cmd.Flags().Changed("author") && strings.TrimSpace(author) == "" {
		return usagef("--author is empty")
	}
	return nil
}
