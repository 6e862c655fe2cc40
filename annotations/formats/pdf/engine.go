// Package pdf opens PDF files: their pages, the text on them with a box
// per character, and the pages rendered as images.
//
// The engine is PDFium, compiled to WebAssembly and run by wazero
// (github.com/klippa-app/go-pdfium in its webassembly mode): pure Go, no
// cgo, and a malformed file can at worst trap the sandboxed module, which
// comes back as an error. PDFium rather than a PDF parser of our own:
// text extraction in reading order, with fonts, encodings, ligatures and
// hyphens, is decades of work (pure-Go extractors measured here lost the
// spaces or the order on real papers). The module sees no files: it is
// handed the PDF's bytes, and nothing from a PDF is fetched or run.
//
// Compiling the module takes seconds; the compiled code is kept in the
// user's cache folder (CacheDir), after which an engine starts in well
// under a second. Warm starts the shared engine in the background.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Engine runs PDFium. It is safe for concurrent use: each open Document
// has an instance of the module of its own, up to maxInstances at once.
type Engine struct {
	pool pdfium.Pool
}

// maxInstances bounds the documents open at once (each instance holds its
// own memory); Open waits for one to close past that.
const maxInstances = 4

// memoryLimit bounds one instance's memory (in 64 KiB WebAssembly pages):
// 1 GiB, far more than a large paper needs, so that a hostile file
// cannot take the machine's memory.
const memoryLimit = 1 << 30 / (64 << 10)

// CacheDir is where the compiled module is kept between runs; empty keeps
// it in memory only. Set it before the first Shared or Warm.
var CacheDir = defaultCacheDir()

func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "gloss", "pdfium")
}

// New starts an engine, compiling the module (or taking it from the cache
// in cacheDir when not empty).
func New(cacheDir string) (*Engine, error) {
	rc := wazero.NewRuntimeConfig().
		// The module lowers setjmp/longjmp to exception handling.
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(memoryLimit).
		// Killing an instance (a time limit) stops it mid-call.
		WithCloseOnContextDone(true)
	if cacheDir != "" {
		if err := os.MkdirAll(cacheDir, 0o700); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(cacheDir); err == nil {
				rc = rc.WithCompilationCache(cache)
			}
		}
	}
	pool, err := webassembly.Init(webassembly.Config{
		// No instance is kept idle: each holds its memory (tens of MB
		// once it has rendered) and a new one starts in milliseconds.
		MinIdle: 0, MaxIdle: 1, MaxTotal: maxInstances,
		RuntimeConfig: rc,
		FSConfig:      wazero.NewFSConfig(), // no files: PDFs come as bytes
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("start the PDF engine: %w", err)
	}
	return &Engine{pool: pool}, nil
}

// Close stops the engine; its open documents become unusable.
func (e *Engine) Close() error { return e.pool.Close() }

var shared struct {
	once   sync.Once
	engine *Engine
	err    error
}

// Shared returns the process's engine, starting it on first use.
func Shared() (*Engine, error) {
	shared.once.Do(func() {
		shared.engine, shared.err = New(CacheDir)
	})
	return shared.engine, shared.err
}

// Warm starts the shared engine in the background, so that the first PDF
// opened does not wait for the module to compile.
func Warm() { go func() { _, _ = Shared() }() }

// instance borrows an instance of the module, waiting at most d.
func (e *Engine) instance(d time.Duration) (pdfium.Pdfium, error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, errors.New("the PDF engine is busy with other documents")
	}
	return inst, err
}
