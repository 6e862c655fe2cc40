// Command gloss is Gloss: a reader for researchers who highlight and
// annotate articles. With no verb it opens the window; the verbs work on
// the same library from the command line (see cli).
package main

import (
	"os"

	"github.com/gloss-notes/gloss/cli"
)

// version is set at release time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Version: version}))
}
