// Package assets holds what Gloss ships inside its binary: the app icon,
// the toolbar's own icons and the welcome article that the first run
// opens.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon (512×512 PNG; icon.svg is its source).
var Icon = fyne.NewStaticResource("gloss-icon.png", iconPNG)

//go:embed export.svg
var exportSVG []byte

// ExportIcon is the toolbar's Export icon (a box with an arrow leaving
// it), drawn in the theme's foreground colour.
var ExportIcon = theme.NewThemedResource(fyne.NewStaticResource("export.svg", exportSVG))

//go:embed welcome.md
var welcome string

// WelcomeName is the file name the welcome article is added under.
const WelcomeName = "welcome.md"

// Welcome returns the text of the welcome article (Markdown).
func Welcome() string { return welcome }
