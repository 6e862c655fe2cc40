// Package assets holds what Gloss ships inside its binary: the app icon and
// the welcome article that the first run opens.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon (512×512 PNG; icon.svg is its source).
var Icon = fyne.NewStaticResource("gloss-icon.png", iconPNG)

//go:embed welcome.md
var welcome string

// WelcomeName is the file name the welcome article is added under.
const WelcomeName = "welcome.md"

// Welcome returns the text of the welcome article (Markdown).
func Welcome() string { return welcome }
