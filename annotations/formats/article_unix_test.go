//go:build unix

package formats

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadArticleFile_NotRegular: a named pipe, a device or a socket given
// as an article is refused before anything is read from it (a pipe with no
// writer would block the read forever, /dev/zero would never end).
func TestReadArticleFile_NotRegular(t *testing.T) {
	dir := t.TempDir()

	t.Run("FIFO", func(t *testing.T) {
		fifo := filepath.Join(dir, "article.txt")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		// A writer that would hand the pipe some text, if it were read.
		done := make(chan struct{})
		go func() {
			defer close(done)
			if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				f.WriteString("Text that came down a pipe.\n")
				f.Close()
			}
		}()
		_, err := ReadArticleFile(fifo)
		// Let the writer go, whether or not the pipe was opened.
		if r, rerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); rerr == nil {
			<-done
			r.Close()
		}
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("err = %v, want ErrUnsupported", err)
		}
		checkMessage(t, err, fifo+" is a named pipe, not an article file; save what it carries to a file and add that")
	})

	t.Run("device", func(t *testing.T) {
		for _, dev := range []string{"/dev/null", "/dev/zero"} {
			if _, err := os.Stat(dev); err != nil {
				t.Skipf("%s: %v", dev, err)
			}
			_, err := ReadArticleFile(dev)
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("%s: err = %v, want ErrUnsupported", dev, err)
			}
			checkMessage(t, err, dev+" is a device, not an article file; choose a .txt, .md or .html file")
		}
	})

	t.Run("socket", func(t *testing.T) {
		sock := filepath.Join(dir, "s.sock")
		l, err := net.Listen("unix", sock)
		if err != nil {
			t.Skipf("listen: %v", err)
		}
		defer l.Close()
		_, err = ReadArticleFile(sock)
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("err = %v, want ErrUnsupported", err)
		}
		checkMessage(t, err, sock+" is a socket, not an article file; choose a .txt, .md or .html file")
	})

	t.Run("symbolic link to a regular file is read", func(t *testing.T) {
		target := filepath.Join(dir, "real.txt")
		if err := os.WriteFile(target, []byte("Linked text."), 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "link.txt")
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symlink: %v", err)
		}
		doc, err := ReadArticleFile(link)
		if err != nil || doc.Text != "Linked text." {
			t.Errorf("ReadArticleFile(link) = %q, %v", doc.Text, err)
		}
	})
}
