package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
)

func (r *runner) backupCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the library to FILE",
		Long: `Write a consistent copy of the library to FILE (safe while Gloss is writing).
Gloss also keeps daily backups by itself, in a "backups" folder beside the
library (the newest 3). FILE is written as export -o writes (whole or not at
all, mode 0600); it may not be the library or in its backups folder.`,
		Args: exactArgs(1, "a FILE to write"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := r.service(); err != nil {
				return err
			}
			if err := r.db.Backup(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backed up %s to %s\n", r.db.Path(), args[0])
			return nil
		},
	}
}

func (r *runner) restoreBackupCommand() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "restore-backup [FILE]",
		Short: "Put a backup (by default the newest automatic one) in the library's place",
		Long: `Put a backup in the library's place, after checking it and asking. The file
it replaces is kept beside it as <library>.replaced-<time>, not deleted.
Without FILE, the newest automatic backup is used: the newest by when it was
made (a backup whose name is dated in the future is flagged, and taken as
made when its file was written).`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			library := r.libraryPath()
			backup := ""
			if len(args) == 1 {
				backup = args[0]
			} else {
				all, err := storage.ListBackups(library, time.Now())
				if err != nil {
					return err
				}
				if len(all) == 0 {
					return fmt.Errorf("library %s has no automatic backups in %s", library, storage.BackupDir(library))
				}
				backup = all[0].Path
				for _, b := range all {
					if b.Future {
						fmt.Fprintf(cmd.OutOrStdout(), "note: the backup %s is dated in the future (a clock was wrong); it is taken as made %s, when its file was written\n",
							b.Path, b.At.Local().Format("2006-01-02 15:04"))
					}
				}
			}
			if !yes {
				fmt.Fprintf(cmd.OutOrStdout(), "Replace %s with the backup %s? The current file is kept beside it. [y/N] ", library, backup)
				answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					fmt.Fprintln(cmd.OutOrStdout())
					return errors.New("nothing was changed")
				}
			}
			kept, err := storage.RestoreBackup(library, backup, time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s from %s", library, backup)
			if kept != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "; the replaced file is %s", kept)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask")
	return cmd
}

func (r *runner) checkCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the library file and its indexes (changes nothing)",
		Args:  maxArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := storage.Open(r.libraryPath(), storage.Options{ReadOnly: true})
			if err != nil {
				return libraryError(err)
			}
			defer db.Close()
			problems := db.Check()
			out := cmd.OutOrStdout()
			for _, p := range problems {
				fmt.Fprintln(out, p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("library %s has %d problem(s); the newest backups are in %s", db.Path(), len(problems), storage.BackupDir(db.Path()))
			}
			fmt.Fprintf(out, "library %s is sound\n", db.Path())
			return nil
		},
	}
}

func (r *runner) colorsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "colors [COLOR MEANING]",
		Short: `List the colours and their meanings, or give one a meaning ("" clears it)`,
		Example: `  gloss colors
  gloss colors yellow "key claim"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return usagef("colors takes no arguments, or a COLOR and its MEANING")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			open := r.service
			if len(args) == 2 {
				open = r.serviceCreating
			}
			svc, err := open()
			if err != nil {
				return err
			}
			if len(args) == 2 {
				c, err := parseColor(args[0])
				if err != nil {
					return err
				}
				if err := svc.SetColorLabel(c, args[1]); err != nil {
					return err
				}
			}
			labels, err := svc.ColorLabels()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				type entry struct {
					Key     int    `json:"key"`
					Color   string `json:"color"`
					Meaning string `json:"meaning"`
				}
				list := make([]entry, len(annotations.Colors))
				for i, c := range annotations.Colors {
					list[i] = entry{i + 1, string(c), labels.Label(c)}
				}
				return printJSON(out, list)
			}
			for i, c := range annotations.Colors {
				fmt.Fprintf(out, "%d\t%-8s\t%s\n", i+1, c, labels.Label(c))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}
