package annotations

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestHashText: the hash read in pieces is the SHA-256 of the whole text,
// on either side of the piece size.
func TestHashText(t *testing.T) {
	for _, n := range []int{0, 1, 32<<10 - 1, 32 << 10, 32<<10 + 1, 100_000} {
		text := strings.Repeat("é", n/2) + strings.Repeat("x", n%2)
		sum := sha256.Sum256([]byte(text))
		if got, want := HashText(text), "sha256:"+hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%d bytes: HashText = %s, want %s", len(text), got, want)
		}
	}
}
