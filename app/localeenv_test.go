package app

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestInitOrder runs this test binary again with LANG=C.UTF-8 and checks
// that Fyne said nothing about the locale: package localeenv must have run
// before Fyne's lang package was initialised.
func TestInitOrder(t *testing.T) {
	if os.Getenv("GLOSS_INIT_ORDER_CHILD") == "1" {
		return // the child: initialisation is all it had to do
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestInitOrder$")
	cmd.Env = append(os.Environ(), "GLOSS_INIT_ORDER_CHILD=1", "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "locale") {
		t.Errorf("Fyne complained about the locale:\n%s", out)
	}
}
