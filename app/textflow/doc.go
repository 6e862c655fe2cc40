// Package textflow holds the pure text-layout rules that Gloss's article
// view (app/textview) needs for right-to-left and CJK text: the bidi
// direction and visual order of a line, hit-testing and selection geometry
// over such a line, line-break opportunities for ideographic text, and
// word bounds for CJK double-click. Nothing here touches a Fyne widget;
// widths come in as a function, like textview's lineGeom, so that every
// rule is tested without a window.
//
// The contract:
//
//   - Offsets are rune offsets and ranges are half-open, as in textview.
//     A paragraph is a hard line (the text between two '\n'); Run, Geom and
//     Span offsets are relative to the start of the visual line they
//     describe.
//   - [Direction] gives a paragraph's base direction (UAX #9 rules P2–P3);
//     [Analyze] resolves its embedding levels with golang.org/x/text's bidi
//     package; [Paragraph.Line] returns one visual line's runs in visual
//     order, left to right (rules L1–L2). [HasRTL] tells cheaply when none
//     of this is needed (Latin text).
//   - [NewGeom] measures a line's runs and answers x ↔ offset questions:
//     [Geom.X], [Geom.Hit], [Geom.Spans]; [Geom.Items] are the strings to
//     draw, one canvas.Text each, and where; [Geom.Indent] right-aligns
//     right-to-left paragraphs. Widths come from a [Measure], which may
//     depend on the style at an offset ([Plain] for unstyled text).
//   - [Breaker] and [Breaks] tell where a line may break (a subset of
//     UAX #14); [CJKWord] gives the word-sized run a double-click selects.
//
// Why the drawing is split the way it is (measured on Fyne 2.7.1, see
// FYNE-TEXT.md): Fyne shapes each canvas.Text as a sequence of segments
// cut by bidi direction, script and font face, and HarfBuzz lays out each
// RTL segment's glyphs right to left; but Fyne places the segments
// themselves left to right in logical order. Fyne's bundled Noto Sans has
// no Hebrew, Arabic or CJK glyphs, so those come from a fallback face while
// ASCII punctuation stays in Noto Sans: a Hebrew sentence with a comma is
// three segments drawn in the wrong order. So the view must never reverse
// runes itself (HarfBuzz already does, keeping marks on their bases and
// Arabic letters joined), and must draw an RTL run as separate pieces at
// positions it computes, cut where the face is likely to change.
package textflow
