// Command gloss is Gloss: a reader for researchers who highlight and
// annotate articles. With no verb it opens the window; the verbs work on
// the same library from the command line (see package cli).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/app"
	"github.com/gloss-notes/gloss/cli"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/outfile"
	glosssync "github.com/gloss-notes/gloss/sync"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Version: version, GUI: openWindow, CanOpenGUI: app.CheckDisplay}))
}

// openWindow runs the GUI on the library at path.
func openWindow(path, article string) error {
	return app.Run(app.Config{
		Library: path,
		Article: article,
		Open: func() (*annotations.Service, app.Searcher, io.Closer, error) {
			db, err := storage.Open(path, storage.Options{})
			if err != nil {
				return nil, nil, nil, err
			}
			if db.Created() {
				fmt.Fprintf(os.Stderr, "gloss: created a new library at %s\n", db.Path())
			}
			// The library's own search index answers the window's searches.
			return annotations.NewService(db), db, db, nil
		},
		WriteFile: func(out string, write func(io.Writer) error) error {
			return outfile.Write(out, outfile.Options{Perm: 0o666, Guard: storage.OutputGuard(path)}, write)
		},
		Sync: func(svc *annotations.Service) app.Syncer { return glosssync.NewController(svc) },
		Backup: func(err error) (string, func() error) {
			if !errors.Is(err, storage.ErrDamaged) {
				return "", nil
			}
			newest, _ := storage.NewestBackup(path)
			if newest == "" {
				return "", nil
			}
			return newest, func() error {
				_, err := storage.RestoreBackup(path, newest, time.Now())
				return err
			}
		},
	})
}
