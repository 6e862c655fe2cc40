//go:build e2e

// The end-to-end test of the window: the real binary (cgo, OpenGL through
// Mesa's software renderer) in a real X server (Xvfb), driven with xdotool
// as a person would, checked through the command line. Run it with
//
//	go test -tags e2e -run TestE2E -v .
//
// It needs Xvfb, xdotool and xclip (.ci/run installs them). Set
// GLOSS_SCREENSHOT=file.png to keep a screenshot of the window.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const e2eArticle = `A test article for the window

The first paragraph is long enough to wrap over several lines of the column, so that a drag across its first line selects a piece of running text that the test can compare with what the library stores afterwards.

The second paragraph gives the article a middle, and the word café shows that offsets are counted in characters rather than in bytes, even after the highlight has been made.

The last paragraph ends the article.`

// buildGloss builds the real binary (cgo, GLFW) into dir.
func buildGloss(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "gloss")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building gloss (cgo and the GL headers are needed): %v", err)
	}
	return bin
}

// e2eSession is the real binary on a library of its own, with an X
// server of its own: what a window test drives.
type e2eSession struct {
	t   *testing.T
	bin string
	env []string
}

// newSession checks for the tools, builds gloss and starts Xvfb.
func newSession(t *testing.T) *e2eSession {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the end-to-end test (apt-get install xvfb xdotool xclip): %v", tool, err)
		}
	}
	dir := t.TempDir()
	bin := buildGloss(t, dir)
	display := startXvfb(t)
	env := append(os.Environ(),
		"DISPLAY="+display,
		"GLOSS_DB="+filepath.Join(dir, "library.db"),
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "home", ".config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "home", ".local", "share"),
		"LANG=en_US.UTF-8",
		"FYNE_THEME=light",
		"GLOSS_TRACE=1", // the window says when each action is done
	)
	return &e2eSession{t: t, bin: bin, env: env}
}

// run runs a command in the session and returns its standard output.
func (s *e2eSession) run(name string, args ...string) string {
	s.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = s.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// gloss runs the binary with args.
func (s *e2eSession) gloss(args ...string) string {
	s.t.Helper()
	return s.run(s.bin, args...)
}

// e2eWindow is the window of a session, opened at an article.
type e2eWindow struct {
	s      *e2eSession
	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan error
	x, y   int // its position on the screen
}

// openWindow runs "gloss open id" and waits for the window titled title
// and for the article to open in it.
func (s *e2eSession) openWindow(id, title string) *e2eWindow {
	t := s.t
	t.Helper()
	w := &e2eWindow{s: s, log: &syncBuffer{}, exited: make(chan error, 1)}
	w.cmd = exec.Command(s.bin, "open", id)
	w.cmd.Env = s.env
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.exited <- w.cmd.Wait() }()
	t.Cleanup(func() {
		if w.cmd.ProcessState == nil {
			w.cmd.Process.Kill()
		}
	})
	var wid string
	waitFor(t, "the window", 30*time.Second, func() bool {
		cmd := exec.Command("xdotool", "search", "--name", title)
		cmd.Env = s.env
		out, _ := cmd.Output()
		wid = strings.TrimSpace(firstLine(string(out)))
		return wid != ""
	}, w.log)
	waitFor(t, "the article to open", 30*time.Second, func() bool { return w.traced("open") > 0 }, w.log)
	geom := s.run("xdotool", "getwindowgeometry", wid)
	t.Logf("window %s: %s", wid, oneLine(geom))
	fmt.Sscanf(between(geom, "Position: ", " "), "%d,%d", &w.x, &w.y)
	return w
}

// traced counts the lines the window printed for an action done.
func (w *e2eWindow) traced(action string) int {
	return strings.Count(w.log.String(), "gloss trace: "+action+" ")
}

// clipboard returns what the X clipboard holds, or "" with an error.
func (s *e2eSession) clipboard() (string, error) {
	clip := exec.Command("xclip", "-o", "-selection", "clipboard")
	clip.Env = s.env
	out, err := clip.Output()
	return string(out), err
}

// quit presses Ctrl+Q and waits for the window to exit cleanly.
func (w *e2eWindow) quit() {
	t := w.s.t
	t.Helper()
	w.s.run("xdotool", "key", "ctrl+q")
	select {
	case err := <-w.exited:
		if err != nil {
			t.Errorf("gloss exited with %v; it said:\n%s", err, w.log.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("Ctrl+Q did not quit; the app said:\n%s", w.log.String())
	}
}

// TestE2E_Window drags across a line of a text article and presses 1,
// then Ctrl+A and 2, and quits: the library holds both highlights.
func TestE2E_Window(t *testing.T) {
	s := newSession(t)
	src := filepath.Join(t.TempDir(), "article.txt")
	if err := os.WriteFile(src, []byte(e2eArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(s.gloss("add", src), "\t")
	w := s.openWindow(id, "A test article for the window")

	// 1. A mouse drag across the first line of the first paragraph, then
	// key 1 (yellow). What was selected is read back through Ctrl+C; until
	// the first frame is laid out a drag selects nothing, so it is tried
	// again until the clipboard holds the selection.
	y := w.y + 282
	var selected string
	waitFor(t, "a drag to select text", 30*time.Second, func() bool {
		s.run("xdotool", "mousemove", fmt.Sprint(w.x+310), fmt.Sprint(y), "mousedown", "1")
		for x := 340; x <= 660; x += 40 {
			s.run("xdotool", "mousemove", fmt.Sprint(w.x+x), fmt.Sprint(y))
		}
		s.run("xdotool", "mouseup", "1")
		s.run("xdotool", "key", "ctrl+c")
		for range 20 {
			if out, err := s.clipboard(); err == nil && len(strings.TrimSpace(out)) >= 5 {
				selected = out
				return true
			}
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}, w.log)
	s.run("xdotool", "key", "1")
	waitFor(t, "the yellow highlight", 15*time.Second, func() bool { return w.traced("highlight") == 1 }, w.log)

	// 2. Ctrl+A (the whole article), then key 2 (red).
	s.run("xdotool", "key", "ctrl+a")
	s.run("xdotool", "key", "2")
	waitFor(t, "the red highlight", 15*time.Second, func() bool { return w.traced("highlight") == 2 }, w.log)

	if shot := os.Getenv("GLOSS_SCREENSHOT"); shot != "" {
		screenshot(t, s.env, shot)
	}

	// 3. Ctrl+Q quits.
	w.quit()

	// 4. The library holds both highlights, with the selected text.
	var notes []struct {
		Color  string `json:"color"`
		Status string `json:"status"`
		Target struct {
			Start, End int
			Exact      string
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(s.gloss("notes", "--json")), &notes); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 {
		t.Fatalf("%d annotations stored, want 2: %+v", len(notes), notes)
	}
	byColor := map[string]int{}
	for i, n := range notes {
		byColor[n.Color] = i
		if got := string([]rune(e2eArticle)[n.Target.Start:n.Target.End]); got != n.Target.Exact {
			t.Errorf("%s highlight: offsets [%d,%d) hold %q, exact is %q", n.Color, n.Target.Start, n.Target.End, got, n.Target.Exact)
		}
	}
	yellow, ok := byColor["yellow"]
	if !ok || notes[yellow].Target.Exact != selected {
		t.Errorf("yellow highlight %+v, want the dragged selection %q", notes, selected)
	}
	red, ok := byColor["red"]
	if !ok || notes[red].Target.Exact != e2eArticle || notes[red].Target.Start != 0 {
		t.Errorf("red highlight does not cover the whole article (Ctrl+A): %+v", notes)
	}
	t.Logf("dragged and highlighted %q", selected)
}

// TestE2E_PDF opens a two-column paper in the real window: its pages are
// shown; a drag across lines of the first page's left column, then key 3,
// stores a highlight of the dragged words on page 1.
func TestE2E_PDF(t *testing.T) {
	s := newSession(t)
	paper := filepath.Join("annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	id, _, _ := strings.Cut(s.gloss("add", paper), "\t")
	w := s.openWindow(id, "Fine-Grained Annotation of Scientific PDFs")

	// A sentinel in the clipboard first, so that nothing left there passes
	// for the selection.
	const sentinel = "nothing selected yet"
	setClip := exec.Command("xclip", "-i", "-selection", "clipboard")
	setClip.Env, setClip.Stdin = s.env, strings.NewReader(sentinel)
	if err := setClip.Run(); err != nil {
		t.Fatalf("xclip: %v", err)
	}
	// Down the left column of the first page (the page fits the reader's
	// width): a drag from one line to the next, read back with Ctrl+C.
	var selected string
	waitFor(t, "a drag to select words on the page", 60*time.Second, func() bool {
		s.run("xdotool", "mousemove", fmt.Sprint(w.x+360), fmt.Sprint(w.y+540), "mousedown", "1")
		for x := 380; x <= 560; x += 30 {
			s.run("xdotool", "mousemove", fmt.Sprint(w.x+x), fmt.Sprint(w.y+552))
		}
		s.run("xdotool", "mouseup", "1")
		s.run("xdotool", "key", "ctrl+c")
		for range 20 {
			if out, err := s.clipboard(); err == nil && out != sentinel && len(strings.Fields(out)) >= 3 {
				selected = out
				return true
			}
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}, w.log)
	s.run("xdotool", "key", "3")
	waitFor(t, "the green highlight", 15*time.Second, func() bool { return w.traced("highlight") == 1 }, w.log)
	if shot := os.Getenv("GLOSS_PDF_SCREENSHOT"); shot != "" {
		screenshot(t, s.env, shot)
	}
	w.quit()

	var notes []struct {
		Color  string `json:"color"`
		Target struct {
			Exact string `json:"exact"`
			Page  int    `json:"page"`
			Rects []struct {
				Page int `json:"page"`
			} `json:"rects"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(s.gloss("notes", "--json")), &notes); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("%d annotations stored, want 1: %+v", len(notes), notes)
	}
	n := notes[0]
	if n.Color != "green" || n.Target.Exact != selected || n.Target.Page != 1 || len(n.Target.Rects) == 0 || n.Target.Rects[0].Page != 1 {
		t.Errorf("stored %+v, want green on page 1 holding the dragged words %q", n, selected)
	}
	t.Logf("dragged and highlighted %q on page %d (%d rectangles)", selected, n.Target.Page, len(n.Target.Rects))
}

// e2eWebPage is the page TestE2E_Web serves on a local address.
const e2eWebPage = `<!DOCTYPE html><html><head><title>Reef survey notes</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article>
<h1>Reef survey notes</h1>
<p>Divers counted <em>bleached</em> corals on the outer reef for the <strong>third</strong> year running, and the counts were
compared with <a href="https://example.org/2024">last year's survey</a> before the season ended.</p>
<h2>Methods</h2>
<ul><li>Transects of fifty metres along the reef crest.</li><li>Photographs every metre, scored later by two readers.</li></ul>
<p>The outer reef lost more cover than the lagoon, where the water stayed cooler through the summer and the corals recovered.</p>
</article></body></html>`

// TestE2E_Web adds a web page from a local server through File → Add web
// page… (Ctrl+L, the address taken from the clipboard), finds a word in
// it (Ctrl+F, Escape selects the match) and highlights it with key 4: the
// library holds the page, its headings and links, and the highlight.
func TestE2E_Web(t *testing.T) {
	s := newSession(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, e2eWebPage)
	}))
	t.Cleanup(srv.Close)
	address := srv.URL + "/notes.html"

	src := filepath.Join(t.TempDir(), "article.txt")
	if err := os.WriteFile(src, []byte(e2eArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(s.gloss("add", src), "\t")
	w := s.openWindow(id, "A test article for the window")

	setClip := exec.Command("xclip", "-i", "-selection", "clipboard")
	setClip.Env, setClip.Stdin = s.env, strings.NewReader(address)
	if err := setClip.Run(); err != nil {
		t.Fatalf("xclip: %v", err)
	}
	// A click in the text gives the window the keyboard (under Xvfb,
	// with no window manager, keys go to the window under the pointer);
	// then Ctrl+L opens the dialog with the address from the clipboard,
	// and Enter adds the page. Tried again until the page opens: the first
	// keys may come before the window takes them.
	s.run("xdotool", "mousemove", fmt.Sprint(w.x+600), fmt.Sprint(w.y+450), "click", "1")
	waitFor(t, "the web page to open", 45*time.Second, func() bool {
		s.run("xdotool", "key", "ctrl+l")
		time.Sleep(700 * time.Millisecond) // the dialog opens with the address
		s.run("xdotool", "key", "Return")
		for range 30 {
			if w.traced("open") >= 2 {
				return true
			}
			time.Sleep(100 * time.Millisecond)
		}
		return false
	}, w.log)

	s.run("xdotool", "key", "ctrl+f")
	time.Sleep(300 * time.Millisecond)
	s.run("xdotool", "type", "lagoon")
	time.Sleep(300 * time.Millisecond)
	s.run("xdotool", "key", "Escape")
	s.run("xdotool", "key", "4")
	waitFor(t, "the highlight on the web page", 15*time.Second, func() bool { return w.traced("highlight") == 1 }, w.log)
	if shot := os.Getenv("GLOSS_WEB_SCREENSHOT"); shot != "" {
		screenshot(t, s.env, shot)
	}
	w.quit()

	var arts []struct {
		ID, Title, Source string
	}
	if err := json.Unmarshal([]byte(s.gloss("articles", "--json")), &arts); err != nil {
		t.Fatal(err)
	}
	var web string
	for _, a := range arts {
		if a.Source == address {
			web = a.ID
		}
	}
	if web == "" {
		t.Fatalf("no article from %s among %+v", address, arts)
	}
	var notes []struct {
		ArticleID string `json:"article_id"`
		Color     string `json:"color"`
		Target    struct {
			Exact string `json:"exact"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(s.gloss("notes", web, "--json")), &notes); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0].Target.Exact != "lagoon" || notes[0].Color != "blue" {
		t.Errorf("highlights on the web page: %+v, want one blue on \"lagoon\"", notes)
	}
	var shown struct {
		Text   string `json:"text"`
		Blocks []struct {
			Kind       string
			Start, End int
		} `json:"blocks"`
		Spans []struct {
			Kind       string
			Start, End int
			Href       string
		} `json:"spans"`
	}
	if err := json.Unmarshal([]byte(s.gloss("show", web, "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	var headings, links []string
	runes := []rune(shown.Text)
	for _, b := range shown.Blocks {
		if b.Kind == "heading" {
			headings = append(headings, string(runes[b.Start:b.End]))
		}
	}
	for _, sp := range shown.Spans {
		if sp.Kind == "link" {
			links = append(links, string(runes[sp.Start:sp.End])+" → "+sp.Href)
		}
	}
	if !slices.Contains(headings, "Methods") || !slices.Contains(links, "last year's survey → https://example.org/2024") {
		t.Errorf("the page's headings %q and links %q, want Methods and the survey link", headings, links)
	}
}

// startXvfb starts an X server on a free display for the test's life.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	num, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb did not say its display: %v", err)
	}
	return ":" + strings.TrimSpace(num)
}

func screenshot(t *testing.T, env []string, path string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", `xwd -root -silent | convert xwd:- png:"$0"`, path)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("screenshot: %v: %s", err, out)
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return strings.TrimSpace(strings.SplitN(v, "\n", 2)[0])
}

// waitFor polls cond every 100 ms until it holds, or fails the test after
// timeout with what the window said.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool, log *syncBuffer) {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; the app said:\n%s", what, log.String())
		}
	}
}

// syncBuffer is a bytes.Buffer that the process's output goroutine and
// the test may use at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
