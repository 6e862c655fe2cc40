package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// The process benchmarks run the gloss binary, a whole process per op, on
// generated libraries of 100,000 and 1,000,000 annotations
// (storagetest.CachedLibrary, kept in the user's cache folder; the 1M
// ones are skipped under -short). The binary is built with -tags ci
// (CGO_ENABLED=0: the command line without a window) unless
// GLOSS_BENCH_BINARY names another (make build's, say). Before the timed
// runs, one untimed run makes the library's daily backup, as a reader's
// first run of the day does. Run:
//
//	go test -run '^$' -bench Process -benchtime 20x ./cli/
//
// Each reports the median and 95th percentile (p50-ms, p95-ms) and the
// peak resident memory of the processes (max-RSS-MB).

var librarySizes = []struct {
	name string
	n    int
}{{"100k", 100_000}, {"1M", 1_000_000}}

var binary struct {
	once sync.Once
	path string
	err  error
}

func glossBinary(b *testing.B) string {
	b.Helper()
	binary.once.Do(func() {
		if p := os.Getenv("GLOSS_BENCH_BINARY"); p != "" {
			binary.path = p
			return
		}
		dir, err := os.MkdirTemp("", "gloss-bench")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "gloss")
		goTool, err := exec.LookPath("go")
		if err != nil {
			binary.err = err
			return
		}
		cmd := exec.Command(goTool, "build", "-tags", "ci", "-o", binary.path, "github.com/gloss-notes/gloss")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = &exec.ExitError{Stderr: out}
		}
	})
	if binary.err != nil {
		b.Fatalf("build gloss: %v", binary.err)
	}
	return binary.path
}

// gloss runs the binary once and returns its time and peak RSS.
func gloss(b *testing.B, args ...string) (time.Duration, int64) {
	b.Helper()
	cmd := exec.Command(glossBinary(b), args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("gloss %s: %v: %s", strings.Join(args, " "), err, errOut.String())
	}
	rss := int64(0)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024
	}
	return d, rss
}

type runs struct {
	d   []time.Duration
	rss int64
}

func (r *runs) add(d time.Duration, rss int64) {
	r.d = append(r.d, d)
	r.rss = max(r.rss, rss)
}

func (r *runs) report(b *testing.B) {
	s := slices.Clone(r.d)
	slices.Sort(s)
	pct := func(p float64) float64 { return float64(s[min(len(s)-1, int(p*float64(len(s))))]) / 1e6 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(float64(r.rss)/(1<<20), "max-RSS-MB")
}

func skipLarge(b *testing.B, n int) {
	if n > 100_000 && testing.Short() {
		b.Skip("-short: not the 1M size")
	}
}

// BenchmarkProcessSearch runs "gloss search QUERY" over the benchmarks'
// query mix, one process per op.
func BenchmarkProcessSearch(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			db := storagetest.CachedLibrary(b, size.n)
			gloss(b, "--db", db, "search", "warm up")
			var r runs
			for i := 0; b.Loop(); i++ {
				r.add(gloss(b, "--db", db, "search", annotationstest.Queries[i%len(annotationstest.Queries)]))
			}
			r.report(b)
		})
	}
}

// BenchmarkProcessNotes runs "gloss notes ARTICLE" on the library's
// articles in turn (about a thousand annotations each), one process per op.
func BenchmarkProcessNotes(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			path := storagetest.CachedLibrary(b, size.n)
			db, err := storage.Open(path, storage.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			var ids []string
			err = db.View(func(r annotations.Reader) error {
				return r.Articles(func(a annotations.Article) error { ids = append(ids, a.ID.String()); return nil })
			})
			db.Close()
			if err != nil {
				b.Fatal(err)
			}
			gloss(b, "--db", path, "notes", ids[0])
			var r runs
			for i := 0; b.Loop(); i++ {
				r.add(gloss(b, "--db", path, "notes", ids[i%len(ids)]))
			}
			r.report(b)
		})
	}
}

// cachedExport returns the path of a Gloss JSON export of the generated
// library of n annotations (its articles with their texts), kept beside
// the cached library.
func cachedExport(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(filepath.Dir(storagetest.CachedLibrary(b, n)), "export.json")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	db, err := storage.Open(storagetest.CachedLibrary(b, n), storage.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f, err := os.OpenFile(path+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	nw := formats.NewNativeWriter(f, time.Now())
	if err := annotations.NewService(db).ExportTo(annotations.ExportFilter{}, nw); err != nil {
		b.Fatal(err)
	}
	if err := nw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkProcessImport runs "gloss import FILE" into a new library, one
// process per op: an export of the generated library (its articles and
// annotations, a twenty-fifth of them in the trash), in one transaction.
func BenchmarkProcessImport(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			export := cachedExport(b, size.n)
			var r runs
			for b.Loop() {
				db := filepath.Join(b.TempDir(), "library.db")
				r.add(gloss(b, "--db", db, "import", export))
				os.RemoveAll(filepath.Dir(db))
			}
			r.report(b)
		})
	}
}

// BenchmarkProcessExport runs "gloss export -o FILE" of the generated
// library, Gloss JSON and CSV, one process per op.
func BenchmarkProcessExport(b *testing.B) {
	for _, size := range librarySizes {
		for _, format := range []string{"json", "csv"} {
			b.Run(size.name+"/"+format, func(b *testing.B) {
				skipLarge(b, size.n)
				db := storagetest.CachedLibrary(b, size.n)
				out := filepath.Join(b.TempDir(), "export")
				var r runs
				for b.Loop() {
					r.add(gloss(b, "--db", db, "export", "--format", format, "-o", out))
				}
				r.report(b)
			})
		}
	}
}
