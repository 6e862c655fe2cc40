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
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const e2eArticle = `A test article for the window

The first paragraph is long enough to wrap over several lines of the column, so that a drag across its first line selects a piece of running text that the test can compare with what the library stores afterwards.

The second paragraph gives the article a middle, and the word café shows that offsets are counted in characters rather than in bytes, even after the highlight has been made.

The last paragraph ends the article.`

func TestE2E_Window(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the end-to-end test (apt-get install xvfb xdotool xclip): %v", tool, err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gloss")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building gloss (cgo and the GL headers are needed): %v", err)
	}
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
	gloss := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gloss %s: %v: %s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	xdo := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	src := filepath.Join(dir, "article.txt")
	if err := os.WriteFile(src, []byte(e2eArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(gloss("add", src), "\t")

	win := exec.Command(bin, "open", id)
	win.Env = env
	var winLog syncBuffer
	win.Stdout, win.Stderr = &winLog, &winLog
	if err := win.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- win.Wait() }()
	defer func() {
		if win.ProcessState == nil {
			win.Process.Kill()
		}
	}()
	// traced counts the lines the window printed for an action done.
	traced := func(action string) int { return strings.Count(winLog.String(), "gloss trace: "+action+" ") }

	// Wait for the window (its title names the open article) and for the
	// article in it.
	var wid string
	waitFor(t, "the window", 30*time.Second, func() bool {
		cmd := exec.Command("xdotool", "search", "--name", "A test article for the window")
		cmd.Env = env
		out, _ := cmd.Output()
		wid = strings.TrimSpace(firstLine(string(out)))
		return wid != ""
	}, &winLog)
	waitFor(t, "the article to open", 30*time.Second, func() bool { return traced("open") > 0 }, &winLog)
	geom := xdo("getwindowgeometry", wid)
	t.Logf("window %s: %s", wid, oneLine(geom))
	var wx, wy int
	fmt.Sscanf(between(geom, "Position: ", " "), "%d,%d", &wx, &wy)

	// 1. A mouse drag across the first line of the first paragraph, then
	// key 1 (yellow). What was selected is read back through Ctrl+C; until
	// the first frame is laid out a drag selects nothing, so it is tried
	// again until the clipboard holds the selection.
	y := wy + 282
	var selected []byte
	waitFor(t, "a drag to select text", 30*time.Second, func() bool {
		xdo("mousemove", fmt.Sprint(wx+310), fmt.Sprint(y), "mousedown", "1")
		for x := 340; x <= 660; x += 40 {
			xdo("mousemove", fmt.Sprint(wx+x), fmt.Sprint(y))
		}
		xdo("mouseup", "1")
		xdo("key", "ctrl+c")
		for range 20 {
			clip := exec.Command("xclip", "-o", "-selection", "clipboard")
			clip.Env = env
			if out, err := clip.Output(); err == nil && len(strings.TrimSpace(string(out))) >= 5 {
				selected = out
				return true
			}
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}, &winLog)
	xdo("key", "1")
	waitFor(t, "the yellow highlight", 15*time.Second, func() bool { return traced("highlight") == 1 }, &winLog)

	// 2. Ctrl+A (the whole article), then key 2 (red).
	xdo("key", "ctrl+a")
	xdo("key", "2")
	waitFor(t, "the red highlight", 15*time.Second, func() bool { return traced("highlight") == 2 }, &winLog)

	if shot := os.Getenv("GLOSS_SCREENSHOT"); shot != "" {
		screenshot(t, env, shot)
	}

	// 3. Ctrl+Q quits.
	xdo("key", "ctrl+q")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("gloss exited with %v; it said:\n%s", err, winLog.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("Ctrl+Q did not quit; the app said:\n%s", winLog.String())
	}

	// 4. The library holds both highlights, with the selected text.
	var notes []struct {
		Color  string `json:"color"`
		Status string `json:"status"`
		Target struct {
			Start, End int
			Exact      string
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(gloss("notes", "--json")), &notes); err != nil {
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
	if !ok || notes[yellow].Target.Exact != string(selected) {
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
	for _, tool := range []string{"Xvfb", "xdotool", "xclip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the end-to-end test (apt-get install xvfb xdotool xclip): %v", tool, err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gloss")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("building gloss (cgo and the GL headers are needed): %v", err)
	}
	display := startXvfb(t)
	env := append(os.Environ(),
		"DISPLAY="+display,
		"GLOSS_DB="+filepath.Join(dir, "library.db"),
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "home", ".config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "home", ".local", "share"),
		"LANG=en_US.UTF-8",
		"FYNE_THEME=light",
		"GLOSS_TRACE=1",
	)
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	paper := filepath.Join("annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	id, _, _ := strings.Cut(run(bin, "add", paper), "\t")

	win := exec.Command(bin, "open", id)
	win.Env = env
	var winLog syncBuffer
	win.Stdout, win.Stderr = &winLog, &winLog
	if err := win.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- win.Wait() }()
	defer func() {
		if win.ProcessState == nil {
			win.Process.Kill()
		}
	}()
	traced := func(action string) int { return strings.Count(winLog.String(), "gloss trace: "+action+" ") }
	var wid string
	waitFor(t, "the window", 30*time.Second, func() bool {
		cmd := exec.Command("xdotool", "search", "--name", "Fine-Grained Annotation of Scientific PDFs")
		cmd.Env = env
		out, _ := cmd.Output()
		wid = strings.TrimSpace(firstLine(string(out)))
		return wid != ""
	}, &winLog)
	waitFor(t, "the paper to open", 30*time.Second, func() bool { return traced("open") > 0 }, &winLog)
	geom := run("xdotool", "getwindowgeometry", wid)
	var wx, wy int
	fmt.Sscanf(between(geom, "Position: ", " "), "%d,%d", &wx, &wy)

	// Down the left column of the first page (the page fits the reader's
	// width): a drag from one line to the next, read back with Ctrl+C.
	// A sentinel in the clipboard first, so that nothing left there passes
	// for the selection.
	const sentinel = "nothing selected yet"
	setClip := exec.Command("xclip", "-i", "-selection", "clipboard")
	setClip.Env, setClip.Stdin = env, strings.NewReader(sentinel)
	if err := setClip.Run(); err != nil {
		t.Fatalf("xclip: %v", err)
	}
	var selected string
	waitFor(t, "a drag to select words on the page", 60*time.Second, func() bool {
		run("xdotool", "mousemove", fmt.Sprint(wx+360), fmt.Sprint(wy+540), "mousedown", "1")
		for x := 380; x <= 560; x += 30 {
			run("xdotool", "mousemove", fmt.Sprint(wx+x), fmt.Sprint(wy+552))
		}
		run("xdotool", "mouseup", "1")
		run("xdotool", "key", "ctrl+c")
		for range 20 {
			clip := exec.Command("xclip", "-o", "-selection", "clipboard")
			clip.Env = env
			if out, err := clip.Output(); err == nil && string(out) != sentinel && len(strings.Fields(string(out))) >= 3 {
				selected = string(out)
				return true
			}
			time.Sleep(50 * time.Millisecond)
		}
		return false
	}, &winLog)
	run("xdotool", "key", "3")
	waitFor(t, "the green highlight", 15*time.Second, func() bool { return traced("highlight") == 1 }, &winLog)
	if shot := os.Getenv("GLOSS_PDF_SCREENSHOT"); shot != "" {
		screenshot(t, env, shot)
	}
	run("xdotool", "key", "ctrl+q")
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("gloss exited with %v; it said:\n%s", err, winLog.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("Ctrl+Q did not quit; the app said:\n%s", winLog.String())
	}

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
	if err := json.Unmarshal([]byte(run(bin, "notes", "--json")), &notes); err != nil {
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
