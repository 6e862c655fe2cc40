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
//   - A Style's [Picture]s are drawn as blocks of their own above the
//     lines holding their At, centred, scaled down to the column (never
//     up) and to at most 60% of the view's height; a picture without Load
//     is a one-line placeholder "[picture: Alt]" in a thin frame, and one
//     whose Load fails (or that is still loading) shows that placeholder in
//     its room. Load is called once per text, off the UI goroutine, when
//     the picture comes within a view's height of the visible part; the
//     result is kept by the view. Pictures have no runes: every offset is
//     the same with or without them, and a click on a picture lands at the
//     end of the line above it.
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
//   - Right-to-left and mixed text follow the Unicode bidi algorithm
//     (package textflow, UAX #9): a paragraph (a hard line) whose first
//     strong letter is Hebrew or Arabic reads right to left and is
//     right-aligned, and each line's runs are shown in visual order. A
//     click or drag maps to the logical rune under the pointer, and a
//     range (selection, highlight, mark) is painted over the glyphs of
//     its runes: over mixed directions, several rectangles on one line.
//     The caret sits at the leading edge of the rune after it; the end of
//     a line is at its paragraph's end side. SelectionBounds' startX and
//     endX are the carets of the selection's ends (in right-to-left text
//     startX is right of endX). Arrow keys move in logical order (Left
//     goes back in the text, whatever the direction it reads in). A
//     paragraph with no right-to-left text and a left-to-right direction
//     (every Latin one) takes none of this. In right-to-left paragraphs,
//     list items do not hang and tabs are not table stops.
//   - Chinese, Japanese and Korean lines break between ideographs, with
//     the kinsoku rules of textflow.Breaker (no line starts with 。、」
//     or small kana, none ends with 「); a double-click there selects a
//     run of one script (textflow.CJKWord: "Go言語" is "Go" and "言語").
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
