package storage

import (
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// EnvLibrary names the environment variable that overrides the library's
// location.
const EnvLibrary = "GLOSS_DB"

// DefaultPath returns where the library lives when no --db flag is given:
// $GLOSS_DB, else the platform's data folder ($XDG_DATA_HOME/gloss/library.db
// on Linux, ~/Library/Application Support/gloss/library.db on macOS,
// %LOCALAPPDATA%\gloss\library.db on Windows).
func DefaultPath() string {
	if p := os.Getenv(EnvLibrary); p != "" {
		return p
	}
	return PlatformPath()
}

// PlatformPath returns the library's place in the platform's data folder.
func PlatformPath() string {
	return filepath.Join(xdg.DataHome, "gloss", "library.db")
}
