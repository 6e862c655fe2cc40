// Package textview is Gloss's article view: a read-only widget that shows a
// long text word-wrapped in a centred, readable column, paints coloured
// ranges over it and lets the reader select passages with the mouse or the
// keyboard.
//
// The contract:
//
//   - All offsets are rune (Unicode code point) offsets into the text given
//     to [View.SetText] or [View.SetStyledText], and every range is
//     half-open: [start, end).
//   - A blank line ("\n\n") separates paragraphs and is drawn as a gap; a
//     single "\n" is a line break. Triple-click selects the text between two
//     line breaks.
//   - A [Style] sets the plain text: [Block]s of whole lines (headings
//     larger and bold, list items whose wrapped lines hang after the
//     marker, quotes indented with a bar per level, code blocks in
//     monospace on a faint ground, italic captions, table rows whose
//     tab-separated cells share the line) and [Span]s within them (italic,
//     bold, monospace code, links in the hyperlink colour, underlined).
//     Styling never changes the text or an offset: list markers and
//     indentation are in the text, and a highlight, a selection or a mark
//     covers the same runes with or without a style. The view keeps no
//     meaning of its own: it takes kinds, ranges and link addresses.
//     [View.LinkAt] finds a link; a Ctrl+click (Cmd+click) on one calls
//     [View.OnLinkTapped], while a plain click selects as anywhere else.
//   - [Highlight]s are painted translucently, so that overlapping ranges
//     blend; where two or more overlap, the topmost one (the latest in the
//     slice given to [View.SetHighlights]) also draws a solid underline.
//     The view knows nothing about what a highlight means: it takes ranges,
//     colours and opaque IDs.
//   - The selection is an anchor plus a cursor; [View.Selection] returns it
//     ordered. [View.OnSelectionChanged] is called only when the ordered
//     range actually changes, whatever caused it (mouse, keys, SetText,
//     SetSelection).
//   - The view takes the keyboard focus when it is clicked or dragged in.
//     While focused it handles Copy, Select All, the navigation keys (arrows,
//     Home/End, Page Up/Down; with Shift they extend the selection) and
//     Ctrl+Shift+Left/Right/Home/End (extend by a word, to an end of the
//     text). Every other key goes to [View.OnKey] (modifier keys alone
//     excepted), every typed rune to [View.OnRune], and every other shortcut
//     to the window's canvas, so that window shortcuts keep working.
//   - Only the lines in (or near) the visible part of the scroll area get
//     canvas objects: one text object per line and run of one look on it.
//     Lines are wrapped from estimated glyph advances in each run's font
//     (which err on the wide side, because kerning only narrows text); exact
//     widths are measured, per word, per font and cached, only for the
//     visible lines that need them (styled text, selection, highlights,
//     hit-testing). Lines differ in height (a heading's is taller), so a
//     line's place down the page is the sum of the heights above it; Page
//     Up/Down move by the view's height, not by a count of lines.
//
// All methods must be called on Fyne's main goroutine (use fyne.Do from
// elsewhere).
package textview
