package formats

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode"
	"unicode/utf8"
)

// Export templates are Go text/template files that people write or copy
// from the web. A template can ask for any amount of work: range over a
// number of a hundred billion, ranges inside ranges, templates calling
// each other twice over, a variable doubled a hundred times with printf, an
// indent of two billion spaces. Gloss runs templates within bounds, and one
// that goes beyond them stops with an error instead of taking the memory
// of the machine:
//
//   - the template file is at most MaxTemplateSize, and a regular file;
//   - each execution (per article, or per highlight for split files)
//     takes at most maxTemplateSteps steps (a step is one template called
//     or one pass of a range) and writes at most MaxTemplateOutput bytes;
//   - the helpers and the printing built-ins (printf, print, println,
//     html, js, urlquery) take and give strings of at most
//     maxTemplateString bytes, printf widths are at most maxPrintfWidth,
//     and indent indents by at most maxIndent spaces;
//   - a panic during execution is an error.

// MaxTemplateSize is the largest template file ReadTemplateFile reads.
const MaxTemplateSize = 256 << 10

// MaxTemplateOutput is the most a template may write in one execution: a
// highlight of a whole article of MaxArticleSize, escaped and quoted,
// comes to somewhat more than that.
const MaxTemplateOutput = 128 << 20

const (
	// maxTemplateString bounds every string a helper takes or makes.
	maxTemplateString = 64 << 20
	// maxTemplateSteps bounds the templates called and the range passes
	// of one execution: an article with ten thousand highlights, ranging
	// over each one's tags, takes some tens of thousands. A step costs
	// about 350 ns here, so a runaway template stops within two seconds.
	maxTemplateSteps = 5_000_000
	// maxPrintfWidth bounds printf's widths and precisions.
	maxPrintfWidth = 1000
	// maxIndent bounds indent's indentation.
	maxIndent = 100
	// maxSplitOutput bounds all the files of one split export together,
	// which are made in memory before any is written.
	maxSplitOutput = 512 << 20
	// maxHeldSpace bounds the white space WriteMarkdown holds back while
	// it waits to see whether more text follows it.
	maxHeldSpace = 1 << 20
	// stepFunc is the function Gloss calls at each step of a template.
	stepFunc = "_step"
)

// The bounds in force, which tests lower to run quickly.
var (
	stepLimit   = maxTemplateSteps
	outputLimit = MaxTemplateOutput
	stringLimit = maxTemplateString
	splitLimit  = maxSplitOutput
)

func errTemplateSteps() error {
	return fmt.Errorf("the template takes over %s steps (a range over a large number, or ranges inside ranges?)", countWords(stepLimit))
}

func errTemplateOutput() error {
	return fmt.Errorf("the template writes over %s", byteSize(outputLimit))
}

func errTemplateString() error {
	return fmt.Errorf("the result would be over %s", byteSize(stringLimit))
}

// byteSize writes a size in MB, or KB when below 1 MB.
func byteSize(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + " MB"
	}
	return strconv.Itoa(n>>10) + " KB"
}

// ReadTemplateFile reads an export template file. Like ReadArticleFile it
// refuses folders, named pipes, devices and sockets before opening them
// (ErrUnsupported), and a file over MaxTemplateSize before reading it
// (ErrTooLarge).
func ReadTemplateFile(path string) (string, error) {
	shown := displayName(path)
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if kind := notRegular(info); kind != "" {
		return "", refuse(ErrUnsupported, "%s is %s, not a template file", shown, kind)
	}
	if info.Size() > MaxTemplateSize {
		return "", templateTooLarge(shown, info.Size())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return "", err
	}
	if kind := notRegular(info); kind != "" {
		return "", refuse(ErrUnsupported, "%s is %s, not a template file", shown, kind)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxTemplateSize+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", shown, err)
	}
	if len(data) > MaxTemplateSize {
		return "", templateTooLarge(shown, -1)
	}
	return string(data), nil
}

func templateTooLarge(shown string, size int64) error {
	switch {
	case size < 0:
		return refuse(ErrTooLarge, "%s is over %d KB; a template can be at most %d KB", shown, MaxTemplateSize>>10, MaxTemplateSize>>10)
	case size >= 1<<20:
		return refuse(ErrTooLarge, "%s is %.1f MB; a template can be at most %d KB", shown, float64(size)/(1<<20), MaxTemplateSize>>10)
	}
	return refuse(ErrTooLarge, "%s is %d KB; a template can be at most %d KB", shown, (size+1023)>>10, MaxTemplateSize>>10)
}

// addSteps makes every template of t, and every range in them, begin with
// a call of stepFunc, which executeTemplate counts.
func addSteps(t *template.Template) {
	seen := map[*parse.Tree]bool{}
	for _, tt := range t.Templates() {
		tr := tt.Tree
		if tr == nil || tr.Root == nil || seen[tr] {
			continue
		}
		seen[tr] = true
		addRangeSteps(tr, tr.Root)
		tr.Root.Nodes = append([]parse.Node{stepAction(tr, tr.Root.Pos)}, tr.Root.Nodes...)
	}
}

func addRangeSteps(tr *parse.Tree, list *parse.ListNode) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.IfNode:
			addRangeSteps(tr, n.List)
			addRangeSteps(tr, n.ElseList)
		case *parse.WithNode:
			addRangeSteps(tr, n.List)
			addRangeSteps(tr, n.ElseList)
		case *parse.RangeNode:
			addRangeSteps(tr, n.List)
			addRangeSteps(tr, n.ElseList)
			if n.List == nil {
				n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
			}
			n.List.Nodes = append([]parse.Node{stepAction(tr, n.Pos)}, n.List.Nodes...)
		}
	}
}

// stepAction is the action {{$_step := _step}}: a declaration, so that it
// prints nothing.
func stepAction(tr *parse.Tree, pos parse.Pos) *parse.ActionNode {
	id := parse.NewIdentifier(stepFunc).SetTree(tr).SetPos(pos)
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: pos, Args: []parse.Node{id}}
	v := &parse.VariableNode{NodeType: parse.NodeVariable, Pos: pos, Ident: []string{"$" + stepFunc}}
	pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Decl: []*parse.VariableNode{v}, Cmds: []*parse.CommandNode{cmd}}
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Pipe: pipe}
}

// executeTemplate runs tmpl (made by ParseTemplate) on data into w, within
// maxTemplateSteps steps and MaxTemplateOutput bytes; a panic is returned
// as an error.
func executeTemplate(tmpl *template.Template, w io.Writer, data any) (err error) {
	run, err := tmpl.Clone() // its own step counter, whoever else runs tmpl
	if err != nil {
		return err
	}
	steps := 0
	run.Funcs(template.FuncMap{stepFunc: func() (bool, error) {
		if steps++; steps > stepLimit {
			return false, errTemplateSteps()
		}
		return true, nil
	}})
	defer func() {
		// text/template turns panics in the functions it calls into
		// errors, but passes on runtime errors of its own execution (and
		// of iterators it ranges over).
		if r := recover(); r != nil {
			err = fmt.Errorf("the template failed: %s", strings.Join(strings.Fields(fmt.Sprint(r)), " "))
		}
	}()
	return run.Execute(&limitWriter{w: w, left: outputLimit}, data)
}

// limitWriter passes at most left bytes on to w, then fails.
type limitWriter struct {
	w    io.Writer
	left int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, errTemplateOutput()
	}
	l.left -= len(p)
	return l.w.Write(p)
}

// articleWriter passes one article's output on to w as it comes, laid out
// as WriteMarkdown promises: an empty line before every article but the
// first (wrote says whether one was written), the white space at the end
// (" \t\r\n") cut to one "\n", and nothing at all for an article whose
// output is only white space. White space is held back until what follows
// it shows whether it is kept; a run of over maxHeldSpace bytes is passed
// on as it is.
type articleWriter struct {
	w       io.Writer
	wrote   *bool
	started bool   // something but white space was written
	held    []byte // white space not yet passed on
	scanned int    // bytes of held known to be white space (before starting)
}

func (a *articleWriter) Write(p []byte) (int, error) {
	n := len(p)
	if !a.started {
		a.held = append(a.held, p...)
		i := firstNonSpace(a.held, a.scanned)
		if i < 0 {
			a.scanned = len(a.held) - partialRune(a.held)
			if len(a.held) <= maxHeldSpace {
				return n, nil
			}
			i = len(a.held)
		}
		if *a.wrote {
			if _, err := io.WriteString(a.w, "\n"); err != nil {
				return 0, err
			}
		}
		*a.wrote, a.started = true, true
		rest := bytes.Clone(a.held[i:])
		if _, err := a.w.Write(a.held[:i]); err != nil {
			return 0, err
		}
		a.held = a.held[:0]
		p = rest
	}
	end := len(bytes.TrimRight(p, " \t\r\n"))
	if end > 0 {
		// Text follows what was held: both go on.
		if _, err := a.w.Write(a.held); err != nil {
			return 0, err
		}
		a.held = a.held[:0]
		if _, err := a.w.Write(p[:end]); err != nil {
			return 0, err
		}
	}
	a.held = append(a.held, p[end:]...)
	if len(a.held) > maxHeldSpace {
		if _, err := a.w.Write(a.held); err != nil {
			return 0, err
		}
		a.held = a.held[:0]
	}
	return n, nil
}

// finish ends the article's output.
func (a *articleWriter) finish() error {
	if !a.started {
		return nil
	}
	_, err := io.WriteString(a.w, "\n")
	return err
}

// firstNonSpace returns the index of the first rune of b from from on that
// is not white space (as bytes.TrimSpace sees it), or -1.
func firstNonSpace(b []byte, from int) int {
	for i := from; i < len(b); {
		if !utf8.FullRune(b[i:]) {
			return -1
		}
		r, size := utf8.DecodeRune(b[i:])
		if !unicode.IsSpace(r) {
			return i
		}
		i += size
	}
	return -1
}

// partialRune is how many bytes at the end of b begin a rune that is not
// complete yet.
func partialRune(b []byte) int {
	for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if utf8.FullRune(b[len(b)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

// boundedFuncs are the printing built-ins of text/template, replaced by
// ones that refuse to make strings over maxTemplateString.
var boundedFuncs = template.FuncMap{
	"printf": boundedPrintf,
	"print": func(args ...any) (string, error) {
		if err := checkArgs(args); err != nil {
			return "", err
		}
		return checkResult(fmt.Sprint(args...))
	},
	"println": func(args ...any) (string, error) {
		if err := checkArgs(args); err != nil {
			return "", err
		}
		return checkResult(fmt.Sprintln(args...))
	},
	"html":     escaper(template.HTMLEscapeString, 6),
	"js":       escaper(template.JSEscapeString, 6),
	"urlquery": escaper(func(s string) string { return template.URLQueryEscaper(s) }, 3),
}

// checkArgs refuses arguments whose strings come to over maxTemplateString.
func checkArgs(args []any) error {
	n := 0
	for _, a := range args {
		switch a := a.(type) {
		case string:
			n += len(a)
		case []string:
			for _, s := range a {
				n += len(s)
			}
		}
	}
	if n > stringLimit {
		return errTemplateString()
	}
	return nil
}

// checkResult refuses a result over maxTemplateString.
func checkResult(s string) (string, error) {
	if len(s) > stringLimit {
		return "", errTemplateString()
	}
	return s, nil
}

// bounded makes a string helper refuse strings over maxTemplateString.
func bounded(f func(string) string) func(string) (string, error) {
	return func(s string) (string, error) {
		if len(s) > stringLimit {
			return "", errTemplateString()
		}
		return checkResult(f(s))
	}
}

// escaper is an escaping built-in whose output is at most grow times its
// input, checked before it is made.
func escaper(escape func(string) string, grow int) func(args ...any) (string, error) {
	return func(args ...any) (string, error) {
		if err := checkArgs(args); err != nil {
			return "", err
		}
		s, ok := "", false
		if len(args) == 1 {
			s, ok = args[0].(string)
		}
		if !ok {
			s = fmt.Sprint(args...)
		}
		if len(s) > stringLimit/grow {
			return "", errTemplateString()
		}
		return escape(s), nil
	}
}

// boundedPrintf is fmt.Sprintf with widths and precisions of at most
// maxPrintfWidth, given as numbers (not "*"), and strings of at most
// maxTemplateString.
func boundedPrintf(format string, args ...any) (string, error) {
	if err := checkPrintfFormat(format); err != nil {
		return "", err
	}
	if err := checkArgs(append(args, format)); err != nil {
		return "", err
	}
	return checkResult(fmt.Sprintf(format, args...))
}

func checkPrintfFormat(format string) error {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		// The verb's flags, argument indexes, width and precision run to
		// its letter (or a second '%').
	spec:
		for i++; i < len(format); i++ {
			c := format[i]
			switch {
			case c == '*':
				return errors.New("printf: a width or precision given by an argument (*) is not allowed; write it as a number")
			case c == '[':
				if j := strings.IndexByte(format[i:], ']'); j > 0 {
					i += j
				}
			case c >= '0' && c <= '9':
				j := i
				for j < len(format) && format[j] >= '0' && format[j] <= '9' {
					j++
				}
				if w, err := strconv.Atoi(format[i:j]); err != nil || w > maxPrintfWidth {
					return fmt.Errorf("printf: a width or precision can be at most %d", maxPrintfWidth)
				}
				i = j - 1
			case strings.IndexByte("+-# .", c) >= 0:
			default:
				break spec
			}
		}
	}
	return nil
}
