// Package localeenv quiets Fyne's complaint about the "C.UTF-8" locale.
//
// Fyne's lang package reads the locale when it is initialised, and logs
// three lines of "Error parsing user locale C" to stderr when LANG (or
// LC_ALL, LC_MESSAGES) is "C.UTF-8" — the default on Debian servers and in
// containers. That noise would reach every gloss command's stderr, whose
// contract is one line per error. "C.UTF-8" means the C locale, so this
// package rewrites such a value to plain "C", which Fyne reads as English
// without complaint.
//
// It must run before Fyne's lang package is initialised. Go initialises
// packages in import-path order among those whose imports are ready (the
// order is specified since Go 1.21); this package imports only os and
// strings, so it is ready long before fyne.io/fyne/v2/lang, whose imports
// include github.com/nicksnyder/go-i18n, which sorts after this package.
// TestInitOrder in package app checks that it works.
package localeenv

import (
	"os"
	"strings"
)

func init() {
	Normalize()
}

// Normalize rewrites a "C.<charset>" or "POSIX.<charset>" value of the
// variable that decides the messages locale to "C".
func Normalize() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if strings.HasPrefix(v, "C.") || strings.HasPrefix(v, "POSIX.") {
			os.Setenv(name, "C")
		}
		return
	}
}
