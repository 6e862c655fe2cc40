package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium/requests"
)

// paper is the two-column paper of the formats tests (3 pages).
func paper(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "articles", "two-column-paper.pdf"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// longPaper makes a PDF of n pages from the paper's pages, over and over.
func longPaper(tb testing.TB, e *Engine, n int) []byte {
	tb.Helper()
	src := paper(tb)
	inst, err := e.instance(time.Minute)
	if err != nil {
		tb.Fatal(err)
	}
	defer inst.Close()
	from, err := inst.OpenDocument(&requests.OpenDocument{File: &src})
	if err != nil {
		tb.Fatal(err)
	}
	to, err := inst.FPDF_CreateNewDocument(&requests.FPDF_CreateNewDocument{})
	if err != nil {
		tb.Fatal(err)
	}
	for have := 0; have < n; have += 3 {
		r := fmt.Sprintf("1-%d", min(3, n-have))
		if _, err := inst.FPDF_ImportPages(&requests.FPDF_ImportPages{Source: from.Document, Destination: to.Document, PageRange: &r, Index: have}); err != nil {
			tb.Fatal(err)
		}
	}
	saved, err := inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: to.Document})
	if err != nil {
		tb.Fatal(err)
	}
	return *saved.FileBytes
}

// benchEngine is an engine compiled once for the benchmarks, its compiled
// code in a cache folder of their own.
func benchEngine(b *testing.B) (*Engine, string) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "gloss-bench-pdfium")
	e, err := New(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e, dir
}

// benchPaper is the paper opened by the benchmarks' engine, closed when
// the benchmark ends.
func benchPaper(b *testing.B) *Document {
	b.Helper()
	e, _ := benchEngine(b)
	doc, err := e.Open(paper(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(doc.Close)
	return doc
}

// BenchmarkOpenFirstPage is opening a 20-page paper in a new process with
// the compilation cache warm: start the engine, open the PDF, render the
// first page at the width of the window's reader (816 pixels).
func BenchmarkOpenFirstPage(b *testing.B) {
	e, dir := benchEngine(b)
	data := longPaper(b, e, 20)
	b.ResetTimer()
	for range b.N {
		fresh, err := New(dir)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := fresh.Open(data)
		if err != nil {
			b.Fatal(err)
		}
		if len(doc.Pages()) != 20 {
			b.Fatalf("%d pages", len(doc.Pages()))
		}
		if _, err := doc.Render(0, 816); err != nil {
			b.Fatal(err)
		}
		doc.Close()
		fresh.Close()
	}
}

// BenchmarkRender150dpi renders a US Letter page at 150 dpi (1275 pixels
// wide), the pages in turn.
func BenchmarkRender150dpi(b *testing.B) {
	doc := benchPaper(b)
	b.ResetTimer()
	for i := range b.N {
		img, err := doc.Render(i%3, 1275)
		if err != nil {
			b.Fatal(err)
		}
		if img.Bounds().Dx() < 1270 {
			b.Fatalf("rendered %v", img.Bounds())
		}
	}
}

// BenchmarkPageText reads a page's characters with their boxes.
func BenchmarkPageText(b *testing.B) {
	doc := benchPaper(b)
	b.ResetTimer()
	for i := range b.N {
		if chars, err := doc.Chars(i % 2); err != nil || len(chars) < 1000 {
			b.Fatal(len(chars), err)
		}
	}
}

// BenchmarkOpen300Pages opens a 300-page PDF and renders its first ten
// pages at fit width, as a reader scrolling it does, and reports the
// process's resident memory then (MiB-RSS).
func BenchmarkOpen300Pages(b *testing.B) {
	e, _ := benchEngine(b)
	data := longPaper(b, e, 300)
	b.ResetTimer()
	for range b.N {
		doc, err := e.Open(data)
		if err != nil {
			b.Fatal(err)
		}
		for p := range 10 {
			if _, err := doc.Render(p, 816); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(rssMiB(b), "MiB-RSS")
		doc.Close()
	}
}

// rssMiB is this process's resident memory in MiB (Linux).
func rssMiB(tb testing.TB) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

func TestLongPaper(t *testing.T) {
	e, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	data := longPaper(t, e, 7)
	doc, err := e.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if n := len(doc.Pages()); n != 7 || !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Fatalf("%d pages", n)
	}
}
