package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestREADME_ExampleSession runs the README's example session line by line,
// as a reader would right after "make run", on a fresh library in a fresh
// home, and compares what each command prints with what the README shows —
// IDs, dates and paths aside.
func TestREADME_ExampleSession(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gloss")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	steps := exampleSteps(t, string(readme))
	if len(steps) < 5 {
		t.Fatalf("the README's example session has %d commands", len(steps))
	}

	// The reader's checkout: the binary and the sample beside each other,
	// in a folder of the test's (the example writes nothing into the
	// repository).
	dir := t.TempDir()
	build := exec.Command("go", "build", "-tags", "ci", "-o", filepath.Join(dir, "gloss"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.CopyFS(filepath.Join(dir, "docs"), os.DirFS("docs")); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C.UTF-8",
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "XDG_CONFIG_HOME=" + filepath.Join(home, ".config")}

	// One shell for the session, so that ART=$(…) carries on; each
	// command's output ends with a marker line.
	var script strings.Builder
	script.WriteString("set -u\n")
	for i, s := range steps {
		script.WriteString(s.cmd + "\n")
		script.WriteString(`echo "@@end $? ` + strconv.Itoa(i) + `"` + "\n")
	}
	sh := exec.Command("bash", "-c", script.String())
	sh.Dir, sh.Env = dir, env
	var stderr bytes.Buffer
	sh.Stderr = &stderr
	out, err := sh.Output()
	if err != nil {
		t.Fatalf("the session: %v\n%s", err, stderr.String())
	}
	got := splitOutputs(t, string(out), len(steps))
	for i, s := range steps {
		if got[i].status != "0" {
			t.Errorf("$ %s: exit status %s\nstderr:\n%s", s.cmd, got[i].status, stderr.String())
			continue
		}
		if want, have := normalize(s.output), normalize(got[i].text); want != have {
			t.Errorf("$ %s\nthe README shows:\n%s\nit prints:\n%s", s.cmd, want, have)
		}
	}
}

type exampleStep struct{ cmd, output string }

// exampleSteps reads the console block after "An example session" in the
// README: "$ " lines are commands, the lines under each its output.
func exampleSteps(t *testing.T, readme string) []exampleStep {
	_, rest, ok := strings.Cut(readme, "An example session")
	if !ok {
		t.Fatal(`the README has no "An example session"`)
	}
	_, rest, ok = strings.Cut(rest, "```console\n")
	if !ok {
		t.Fatal("the example session has no console block")
	}
	block, _, _ := strings.Cut(rest, "```")
	var steps []exampleStep
	sc := bufio.NewScanner(strings.NewReader(block))
	for sc.Scan() {
		line := sc.Text()
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			steps = append(steps, exampleStep{cmd: cmd})
			continue
		}
		if len(steps) == 0 {
			t.Fatalf("output before the first command: %q", line)
		}
		steps[len(steps)-1].output += line + "\n"
	}
	return steps
}

type stepOutput struct{ text, status string }

func splitOutputs(t *testing.T, out string, n int) []stepOutput {
	var res []stepOutput
	var cur strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "@@end "); ok {
			status, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
			res = append(res, stepOutput{text: cur.String(), status: status})
			cur.Reset()
			continue
		}
		cur.WriteString(line)
	}
	if len(res) != n {
		t.Fatalf("%d outputs for %d commands:\n%s", len(res), n, out)
	}
	return res
}

var (
	uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	datePattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?`)
	samplePath  = regexp.MustCompile(`\S*/docs/sample/`)
	libraryPath = regexp.MustCompile(`\S*/\.local/share/gloss/library\.db`)
)

// normalize blanks out what differs from run to run.
func normalize(s string) string {
	s = uuidPattern.ReplaceAllString(s, "<id>")
	s = datePattern.ReplaceAllString(s, "<date>")
	s = samplePath.ReplaceAllString(s, "<repo>/docs/sample/")
	s = libraryPath.ReplaceAllString(s, "<library>")
	return strings.TrimRight(s, "\n")
}
