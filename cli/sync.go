package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gloss-notes/gloss/annotations"
	glosssync "github.com/gloss-notes/gloss/sync"
	"github.com/gloss-notes/gloss/sync/remote"
)

func (r *runner) syncCommand() *cobra.Command {
	var watch bool
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "sync [init REMOTE | status]",
		Short: "Sync the library with your other devices and your team, through a folder or a WebDAV server",
		Long: `Sync sends this library's changes to its remote and merges the changes
of every other library that syncs there (set up with: gloss sync init
REMOTE). The remote is a folder (a Syncthing, Nextcloud or Dropbox folder, a
network drive) or a WebDAV server (https://host/path). --watch syncs again
every --every until interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.service()
			if err != nil {
				return err
			}
			s, err := openSyncer(svc)
			if err != nil {
				return err
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if !watch {
				rep, err := s.Sync(nil)
				if err != nil {
					return fmt.Errorf("sync: %w", err)
				}
				printProblems(errOut, rep)
				_, err = fmt.Fprintln(out, rep)
				return err
			}
			if every < time.Second {
				return usagef("--every must be at least 1s")
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			for {
				rep, err := s.Sync(nil)
				stamp := time.Now().Format(time.TimeOnly)
				if err != nil {
					// Offline is a state to wait out, not the end.
					fmt.Fprintf(errOut, "%s sync: %v\n", stamp, err)
				} else {
					printProblems(errOut, rep)
					fmt.Fprintf(out, "%s %s\n", stamp, rep)
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(every):
				}
			}
		},
	}
	cmd.Flags().BoolVar(&watch, "watch", false, "sync again and again, every --every, until interrupted")
	cmd.Flags().DurationVar(&every, "every", time.Minute, "with --watch, how long between syncs")
	cmd.AddCommand(r.syncInitCommand(), r.syncStatusCommand())
	return cmd
}

func printProblems(w io.Writer, rep glosssync.Report) {
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "gloss: not merged yet: "+p)
	}
}

// syncer wraps a Syncer with the remote's name for messages.
type syncer struct {
	*glosssync.Syncer
	remote remote.Remote
}

func (s syncer) Remote() string { return s.remote.String() }

func openSyncer(svc *annotations.Service) (syncer, error) {
	spec, err := svc.Setting(glosssync.SettingRemote)
	if err != nil {
		return syncer{}, err
	}
	if spec == "" {
		return syncer{}, glosssync.ErrNotSetUp
	}
	rem, err := remote.Open(spec)
	if err != nil {
		return syncer{}, err
	}
	s, err := glosssync.New(svc, rem)
	return syncer{s, rem}, err
}

func (r *runner) syncInitCommand() *cobra.Command {
	var user, library string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "init REMOTE [--user NAME --password-stdin] [--library ID]",
		Short: "Set up this library to sync through a folder or a WebDAV server",
		Long: `init joins this library to REMOTE: an absolute folder path, or a WebDAV
address https://host/path (http:// only to this computer). The first
library to sync there starts a shared library; the others join it (name one
with --library when the remote holds several). The next "gloss sync" sends
this whole library.

A WebDAV password is never kept in the library: with --password-stdin it is
read from the input and kept in the system keyring (or, without one, in a
file only you can read, named in the output). GLOSS_SYNC_USER and
GLOSS_SYNC_PASSWORD, when set, are used instead.`,
		Args: exactArgs(1, "REMOTE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec, err := remote.Normalize(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			isWeb := strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://")
			if passwordStdin {
				if !isWeb {
					return usagef("--password-stdin is for a WebDAV remote")
				}
				line, err := bufio.NewReader(io.LimitReader(r.env.Stdin, 4096)).ReadString('\n')
				if err != nil && !errors.Is(err, io.EOF) {
					return err
				}
				password := strings.TrimRight(line, "\r\n")
				if password == "" {
					return usagef("no password on the input")
				}
				where, err := remote.Save(spec, remote.Credentials{User: user, Password: password})
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "gloss: the password for %s is kept in %s\n", spec, where)
			} else if user != "" {
				return usagef("--user goes with --password-stdin (or set GLOSS_SYNC_USER and GLOSS_SYNC_PASSWORD)")
			}
			rem, err := remote.Open(spec)
			if err != nil {
				return err
			}
			// The remote answers before a library is made for it.
			if _, err := rem.List("gloss"); err != nil {
				return fmt.Errorf("sync: %w", err)
			}
			svc, err := r.serviceCreating()
			if err != nil {
				return err
			}
			id, err := glosssync.Setup(svc, rem, spec, library)
			if err != nil {
				return fmt.Errorf("sync: %w", err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "this library syncs with %s (library %s); run gloss sync\n", rem, id)
			return err
		},
	}
	cmd.Flags().StringVar(&user, "user", "", "the WebDAV user name (with --password-stdin)")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the WebDAV password from the first line of the input and keep it in the system keyring")
	cmd.Flags().StringVar(&library, "library", "", "the ID of the library to join, when the remote holds several")
	return cmd
}

func (r *runner) syncStatusCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status [--json]",
		Short: "Say where the library syncs, when it last did, what is waiting to be sent, and which devices were seen",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, err := r.readService()
			if err != nil {
				return err
			}
			st, err := glosssync.ReadStatus(svc)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return printJSON(out, st)
			}
			if st.Remote == "" {
				_, err := fmt.Fprintln(out, "this library does not sync (gloss sync init REMOTE sets it up)")
				return err
			}
			fmt.Fprintf(out, "remote:   %s\nlibrary:  %s\ndevice:   %s", st.Remote, st.Library, st.Device)
			if st.Author != "" {
				fmt.Fprintf(out, " (%s)", st.Author)
			}
			last := "never"
			if st.LastSync != nil {
				last = st.LastSync.Local().Format(time.DateTime)
			}
			fmt.Fprintf(out, "\nlast sync: %s\npending:  %d change%s to send\n", last, st.Pending, plural(st.Pending))
			if st.Problem != "" {
				fmt.Fprintf(out, "problem:  %s\n", st.Problem)
			}
			for _, d := range st.Devices {
				name := d.ID
				if d.Author != "" {
					name += " (" + d.Author + ")"
				}
				fmt.Fprintf(out, "device seen: %s, last change %s, %d segment%s\n", name, d.LastSeen.Local().Format(time.DateTime), d.Segments, plural(d.Segments))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object: remote, library, device, author, last_sync, problem, pending, devices")
	return cmd
}
