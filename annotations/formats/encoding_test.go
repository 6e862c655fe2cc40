package formats

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// TestReadArticle_BrokenUTF8: a file of UTF-8 with invalid bytes in it
// (damaged, or two encodings mixed) is refused, not decoded as a legacy
// encoding (which turned a Russian text into Windows-1251 mojibake). A file
// in a legacy encoding, whose bytes form a valid UTF-8 sequence here and
// there by chance, is decoded as before.
func TestReadArticle_BrokenUTF8(t *testing.T) {
	refused := []struct {
		name, file, data, msg string
	}{
		{"Russian UTF-8 with a stray byte", "a.txt", "Привет, мир! Это короткий текст\xff на русском языке.", "a.txt is UTF-8 with invalid bytes in it (the first on line 1, column 32)…"},
		{"UTF-8 with a Latin-1 letter", "a.md", "# Café\n\nLe château de ma m\xe8re.", "a.md is UTF-8 with invalid bytes in it (the first on line 3, column 19)…"},
		{"a truncated last character", "a.txt", "Grüße aus Köln \xe2\x82", "a.txt is UTF-8 with invalid bytes…"},
		{"HTML declaring Windows-1252", "a.html", `<html><head><meta charset="windows-1252"><title>Café</title></head><body><p>Déjà vu, ou pas` + "\xa0" + `?</p></body></html>`, "a.html is UTF-8 with invalid bytes…"},
		{"HTML declaring nothing", "a.html", "<p>Привет, мир! \xc0</p>", "a.html is UTF-8 with invalid bytes…"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, []byte(tt.data))
			if !errors.Is(err, ErrEncoding) {
				t.Fatalf("ReadArticle = %q, %v; want ErrEncoding", doc.Text, err)
			}
			checkMessage(t, err, tt.msg)
			if !strings.HasSuffix(err.Error(), "; it may be damaged, or mix two encodings: save it as UTF-8 again") {
				t.Errorf("message %q says nothing of what to do", err)
			}
		})
	}

	kept := []struct {
		name, text string
		encode     func(string) (string, error)
	}{
		{"Ukrainian in Windows-1251 (Він is C2 B3, valid UTF-8)", "Він сказав, що Вінниця — гарне місто. Він пішов додому, а вона залишилася. Вода була холодна, і ми чекали на потяг.", charmap.Windows1251.NewEncoder().String},
		{"Shift_JIS", "日本語のテキストです。これは文字コードの検出のための文章です。", japanese.ShiftJIS.NewEncoder().String},
	}
	for _, tt := range kept {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.encode(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ReadArticle("a.txt", []byte(data))
			if err != nil || doc.Text != tt.text {
				t.Errorf("ReadArticle = %q, %v; want %q", doc.Text, err, tt.text)
			}
		})
	}
}
