package search

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestParse_LongInputQuotedShort: a query error quotes a short part of the
// query, however long the query is.
func TestParse_LongInputQuotedShort(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	for _, q := range []string{huge + ":value", "color:" + huge, `"` + huge, "is:" + huge} {
		_, err := parse(q)
		if !errors.Is(err, ErrQuery) {
			t.Fatalf("parse(%.20q…) = %v, want ErrQuery", q, err)
		}
		if n := utf8.RuneCountInString(err.Error()); n > 300 {
			t.Errorf("parse(%.20q…): message of %d characters", q, n)
		}
	}
}
