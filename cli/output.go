package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// printJSON writes v as indented JSON with a final newline.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonAnnotations makes sure a listing prints [] rather than null, and tags
// [] rather than null.
func jsonAnnotations(as []annotations.Annotation) []annotations.Annotation {
	out := make([]annotations.Annotation, len(as))
	for i, a := range as {
		if a.Tags == nil {
			a.Tags = []string{}
		}
		out[i] = a
	}
	return out
}

// printAnnotation writes one annotation for a person to read:
//
//	0193…  yellow (key claim)  anchored  [120–148]  p. 3  by Ana Lima
//	  “the quoted passage”
//	  note: …
//	  tags: a, b
func printAnnotation(w io.Writer, a annotations.Annotation, labels annotations.ColorLabels) {
	color := string(a.Color)
	if l := labels.Label(a.Color); l != "" {
		color += " (" + l + ")"
	}
	fmt.Fprintf(w, "%s  %s  %s  [%d–%d]", a.ID, color, a.Status, a.Target.Start, a.Target.End)
	if a.Target.Page > 0 {
		fmt.Fprintf(w, "  p. %d", a.Target.Page)
	}
	if a.Author != "" {
		fmt.Fprintf(w, "  by %s", a.Author)
	}
	if a.Trashed() {
		fmt.Fprintf(w, "  in the trash since %s", localTime(*a.DeletedAt))
	}
	fmt.Fprintf(w, "\n  “%s”\n", clip(oneLine(a.Target.Exact), 200))
	if a.Previous != "" {
		fmt.Fprintf(w, "  was: “%s”\n", clip(oneLine(a.Previous), 200))
	}
	if a.Note != "" {
		note := strings.ReplaceAll(a.Note, "\n", "\n        ")
		fmt.Fprintf(w, "  note: %s\n", note)
	}
	if len(a.Tags) > 0 {
		fmt.Fprintf(w, "  tags: %s\n", strings.Join(a.Tags, ", "))
	}
}

func localTime(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04")
}

// clip shortens s to at most n runes, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
