//go:build unix

package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/storage"
)

// filled is a library with an article, a highlight and its first daily
// backup.
func filled(t *testing.T) *lib {
	t.Helper()
	l := newLib(t)
	id, _, _ := strings.Cut(l.ok("add", l.file("talks.txt", article)), "\t")
	l.ok("highlight", id, "--quote", "Geneva", "--note", "where")
	l.ok("articles") // the second opening makes the day's backup
	if b, _ := storage.Backups(l.path); len(b) != 1 {
		t.Fatalf("backups: %v", b)
	}
	return l
}

// folderBytes is every regular file under dir (name → content).
func folderBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			m[p] = string(b)
		}
		return nil
	})
	return m
}

// TestCLI_Output_RefusesTheLibrary: no output — export -o, backup FILE,
// export --split DIR — may be the library or its backups, whatever path
// leads there: the library itself, a hard link, a symbolic link, a file in
// the backups folder (also through a linked folder).
func TestCLI_Output_RefusesTheLibrary(t *testing.T) {
	l := filled(t)
	backups := storage.BackupDir(l.path)
	hard := filepath.Join(l.dir, "hard.json")
	soft := filepath.Join(l.dir, "soft.json")
	linkedBackups := filepath.Join(l.dir, "elsewhere")
	for _, err := range []error{os.Link(l.path, hard), os.Symlink(l.path, soft), os.Symlink(backups, linkedBackups)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	before := folderBytes(t, l.dir)
	tests := [][]string{
		{"export", "-o", l.path},
		{"export", "-o", hard},
		{"export", "--format", "csv", "-o", soft},
		{"export", "-o", filepath.Join(backups, "export.json")},
		{"export", "-o", filepath.Join(linkedBackups, "export.json")},
		{"export", "--format", "markdown", "--split", backups},
		{"export", "--format", "markdown", "--split", filepath.Join(backups, "notes")},
		{"backup", l.path},
		{"backup", hard},
		{"backup", soft},
		{"backup", filepath.Join(backups, "copy.db")},
	}
	for _, args := range tests {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errs, code := l.run("", args...)
			if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "gloss: ") ||
				!strings.Contains(errs, "the library and its backups are never overwritten") {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
			}
			after := folderBytes(t, l.dir)
			for p, b := range before {
				if after[p] != b {
					t.Fatalf("%s changed", p)
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Fatalf("%s was written", p)
				}
			}
		})
	}
}

// TestCLI_Output_StdoutIsTheLibrary: "gloss export >> library.db" does
// not append the export to the library.
func TestCLI_Output_StdoutIsTheLibrary(t *testing.T) {
	l := filled(t)
	before, _ := os.ReadFile(l.path)
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var errb bytes.Buffer
	code := Run([]string{"--db", l.path, "export"}, Env{Stdout: f, Stderr: &errb})
	if code != 1 || !strings.Contains(errb.String(), "standard output is the library") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if after, _ := os.ReadFile(l.path); !bytes.Equal(before, after) {
		t.Errorf("the export was appended to the library")
	}
}

// TestCLI_Output_Targets: export -o and backup write through to devices
// and pipes instead of replacing them, follow a symbolic link to the file
// it points to, create files with the umask, and clean up what an
// interrupted run left.
func TestCLI_Output_Targets(t *testing.T) {
	l := filled(t)
	t.Run("named pipes are written through", func(t *testing.T) {
		for _, args := range [][]string{{"export"}, {"backup"}} {
			fifo := filepath.Join(l.dir, "fifo-"+args[0])
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			// The test holds the pipe open for writing too, so that the
			// reader never waits for gloss to open it, and sees the end
			// once both let go — whether gloss wrote into the pipe or
			// (the old code) replaced it.
			hold, err := os.OpenFile(fifo, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			r, err := os.Open(fifo) // does not wait: hold is a writer
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan []byte)
			go func() {
				b, _ := io.ReadAll(r)
				r.Close()
				got <- b
			}()
			if args[0] == "export" {
				args = append(args, "-o")
			}
			_, errs, code := l.run("", append(args, fifo)...)
			hold.Close()
			b := <-got
			if code != 0 {
				t.Errorf("%s: exit %d: %s", args[0], code, errs)
			}
			if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("%s: the pipe was replaced: %v", args[0], fi.Mode())
			}
			if args[0] == "export" && !json.Valid(b) || args[0] == "backup" && len(b) < 4096 {
				t.Errorf("%s: the reader got %d bytes", args[0], len(b))
			}
		}
	})
	t.Run("character devices are written through", func(t *testing.T) {
		null := os.DevNull
		if os.Geteuid() == 0 {
			// As root the old code replaced the device: use one of our
			// own, not the machine's /dev/null.
			null = filepath.Join(l.dir, "null")
			if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Fatal(err)
			}
		}
		l.ok("export", "-o", null)
		l.ok("backup", null)
		if fi, _ := os.Lstat(null); fi.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v", fi.Mode())
		}
	})
	t.Run("a symbolic link leads to the file written", func(t *testing.T) {
		os.Mkdir(filepath.Join(l.dir, "real"), 0o700)
		target := filepath.Join(l.dir, "real", "notes.csv")
		link := filepath.Join(l.dir, "notes.csv")
		os.WriteFile(target, []byte("old"), 0o600)
		os.Symlink(target, link)
		l.ok("export", "--format", "csv", "-o", link)
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced by a file")
		}
		if b, _ := os.ReadFile(target); !bytes.HasPrefix(b, []byte("id,article_id")) {
			t.Errorf("the target holds %q", b)
		}
	})
	t.Run("new files follow the umask", func(t *testing.T) {
		for _, tt := range []struct {
			umask  int
			export os.FileMode
		}{{0o077, 0o600}, {0o022, 0o644}, {0o002, 0o664}} {
			old := syscall.Umask(tt.umask)
			out := filepath.Join(l.dir, "umask-"+strconv.Itoa(tt.umask)+".json")
			copy := out + ".db"
			l.ok("export", "-o", out)
			l.ok("backup", copy)
			syscall.Umask(old)
			if fi, _ := os.Stat(out); fi.Mode().Perm() != tt.export {
				t.Errorf("umask %03o: export mode %v, want %v", tt.umask, fi.Mode().Perm(), tt.export)
			}
			if fi, _ := os.Stat(copy); fi.Mode().Perm() != 0o600 {
				t.Errorf("umask %03o: backup mode %v, want 0600", tt.umask, fi.Mode().Perm())
			}
		}
	})
	t.Run("what an interrupted run left is removed", func(t *testing.T) {
		old := time.Now().Add(-time.Hour)
		left := []string{".out.json.2596996162.tmp", "copy.db.2596996162.tmp"}
		kept := []string{"out.json.bak", ".out.json.notes.tmp", "copy.db.mine.tmp"}
		for _, name := range append(append([]string{}, left...), kept...) {
			p := l.file(name, "half")
			os.Chtimes(p, old, old)
		}
		l.ok("export", "-o", filepath.Join(l.dir, "out.json"))
		l.ok("backup", filepath.Join(l.dir, "copy.db"))
		for _, name := range left {
			if _, err := os.Stat(filepath.Join(l.dir, name)); err == nil {
				t.Errorf("%s was left", name)
			}
		}
		for _, name := range kept {
			if _, err := os.Stat(filepath.Join(l.dir, name)); err != nil {
				t.Errorf("%s was removed", name)
			}
		}
	})
}

// TestCLI_RestoreBackup_RefusesWhatIsNoBackup: restore-backup reads only a
// regular bbolt file; a device or pipe is refused before it is read (and
// /dev/zero no longer fills the disk), leaving nothing behind.
func TestCLI_RestoreBackup_RefusesWhatIsNoBackup(t *testing.T) {
	l := filled(t)
	fifo := filepath.Join(l.dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	before := folderBytes(t, l.dir)
	for _, tt := range []struct{ backup, want string }{
		{"/dev/zero", "it is a character device"},
		{fifo, "it is a named pipe"},
		{l.file("notes.json", `{"format": "gloss"}`), "not a Gloss library file"},
	} {
		out, errs, code := l.run("", "restore-backup", "--yes", tt.backup)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.want) {
			t.Errorf("restore-backup %s: exit %d, stdout %q, stderr %q", tt.backup, code, out, errs)
		}
	}
	after := folderBytes(t, l.dir)
	delete(after, filepath.Join(l.dir, "notes.json"))
	if len(after) != len(before) {
		t.Errorf("files were left: %d before, %d after", len(before), len(after))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed", p)
		}
	}
}

// countingReader yields n bytes of b and counts what was read.
type countingReader struct {
	b    byte
	n    int64
	read int64
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n-r.read)
	for i := range k {
		p[i] = r.b
	}
	r.read += k
	return int(k), nil
}

// TestCLI_Import_BoundedReads: import refuses what cannot be JSON after its
// first bytes, without reading the rest of a stream; refuses devices and
// pipes given by name before reading them; and refuses a file over the
// limit by its size.
func TestCLI_Import_BoundedReads(t *testing.T) {
	l := filled(t)
	before := l.snapshot()
	t.Run("a stream that is not JSON is refused at its start", func(t *testing.T) {
		stream := &countingReader{b: 'x', n: 50 << 20}
		var out, errb bytes.Buffer
		code := Run([]string{"--db", l.path, "import", "-"}, Env{Stdin: stream, Stdout: &out, Stderr: &errb})
		if code != 1 || !strings.Contains(errb.String(), "is not JSON") || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
		if stream.read > 1<<20 {
			t.Errorf("read %d MB of a stream that is not JSON", stream.read>>20)
		}
	})
	t.Run("JSON after a byte order mark and blank lines is read", func(t *testing.T) {
		export := l.ok("export")
		out, errs, code := l.run("\ufeff\n\n  "+export, "import", "-")
		if code != 0 || !strings.Contains(out, "skipped") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
		}
	})
	fifo := filepath.Join(l.dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A writer into the pipe, as a shell would start one; the new code
	// never opens the pipe, and the test lets the writer go at the end.
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Write(bytes.Repeat([]byte("not json "), 1<<16))
			f.Close()
		}
	}()
	defer func() {
		if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	}()
	big := filepath.Join(l.dir, "big.json")
	if err := os.WriteFile(big, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 1<<30+1); err != nil { // sparse
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, file, want string }{
		{"an endless device", "/dev/zero", "a character device"},
		{"a named pipe", fifo, "a named pipe"},
		{"a file over the limit", big, "larger than 1024 MB"},
		{"a text file", l.file("notes.txt", "Some notes, not JSON."), "is not JSON"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := l.run("", "import", tt.file)
			if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
		})
	}
	if l.snapshot() != before {
		t.Errorf("the library changed")
	}
}

// TestCLI_RestoreBackup_FutureStamp: restore-backup takes the newest
// backup by when it was made, not a name dated in the future, and says
// that one is there.
func TestCLI_RestoreBackup_FutureStamp(t *testing.T) {
	l := filled(t)
	backups, _ := storage.Backups(l.path)
	real := backups[0]
	future := filepath.Join(storage.BackupDir(l.path), "library.db.daily-20991231T000000Z")
	data, _ := os.ReadFile(real)
	os.WriteFile(future, data, 0o600)
	made := time.Now().Add(-72 * time.Hour)
	os.Chtimes(future, made, made)
	out, errs, code := l.run("", "restore-backup", "--yes")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "restored "+l.path+" from "+real) {
		t.Errorf("restore-backup did not take the real newest backup %s:\n%s", real, out)
	}
	if !strings.Contains(out, future) || !strings.Contains(out, "in the future") {
		t.Errorf("restore-backup does not flag %s:\n%s", future, out)
	}
}

// TestCLI_Export_StdoutSpillsToATemporaryFile holds a large export to
// standard output in a temporary file, not in memory, and still prints
// it whole: the same bytes as the export written to a file.
func TestCLI_Export_StdoutSpillsToATemporaryFile(t *testing.T) {
	l := filled(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	old := spillSize
	spillSize = 64
	defer func() { spillSize = old }()
	for _, format := range []string{"json", "csv", "markdown"} {
		out := l.ok("export", "--format", format)
		file := filepath.Join(t.TempDir(), "export")
		l.ok("export", "--format", format, "-o", file)
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// The exports' time stamps may differ by a second.
		stamp := regexp.MustCompile(`"(exported_at|generated)": "[^"]*"`)
		out = stamp.ReplaceAllString(out, "")
		want = stamp.ReplaceAll(want, nil)
		if len(out) <= spillSize || out != string(want) {
			t.Errorf("%s: stdout has %d bytes, the file %d; same: %v", format, len(out), len(want), out == string(want))
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("%s: the temporary file was left: %v", format, left)
		}
	}
	// With nowhere to spill, the export says so and prints nothing: it
	// did go to a temporary file.
	t.Setenv("TMPDIR", filepath.Join(tmp, "missing"))
	out, errOut, code := l.run("", "export")
	if code != 1 || out != "" || !strings.Contains(errOut, "a temporary file for the export") {
		t.Errorf("with no temporary folder: exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
	}
}
