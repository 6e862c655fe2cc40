package formats

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"

	"github.com/gloss-notes/gloss/annotations"
)

func TestReadArticleFile_Samples(t *testing.T) {
	tests := []struct {
		file   string
		format annotations.Format
		title  string
		text   string
	}{
		{
			file: "plain-utf8.txt", format: annotations.FormatText, title: "Reading slowly",
			text: "Reading slowly\n\nSlow reading is a practice of attention. The reader lingers on a sentence,\n" +
				"returns to it, and writes in the margin — a café habit as old as print.\n\n" +
				"Notes made by hand are remembered better than notes typed.",
		},
		{
			file: "bom-crlf.txt", format: annotations.FormatText, title: "Field notes: the river survey",
			text: "Field notes: the river survey\nDay 1. Water level 1.2 m, clear; naïve estimate of flow 3 m³/s.\nDay 2. Rain.",
		},
		{
			file: "utf16le.txt", format: annotations.FormatText, title: "Über die Lesbarkeit",
			text: "Über die Lesbarkeit\nGroße Texte brauchen Absätze.\nΕλληνικά και 日本語 too.",
		},
		{
			file: "cp1252.txt", format: annotations.FormatText, title: "Café culture in 1920s Paris",
			text: "Café culture in 1920s Paris\n\nThe “Lost Generation” met at cafés — Hemingway paid 5€?\nNo: francs. À bientôt, naïve résumés.",
		},
		{
			file: "atx.md", format: annotations.FormatMarkdown, title: "The Annotated Reader",
			// Read as rendered: no markup.
			text: "The Annotated Reader\n\nSome intro text with a link.\n\nSecond heading\n\n• item one\n\n• item two",
		},
		{
			file: "setext.md", format: annotations.FormatMarkdown, title: "Marginalia and Memory",
			text: "Marginalia and Memory\n\nReaders have written in books for as long as there have been books.\n\nSubtitle",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readFile(t, tt.file)
			if doc.Format != tt.format {
				t.Errorf("format = %q, want %q", doc.Format, tt.format)
			}
			if doc.Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Title, tt.title)
			}
			if doc.Text != tt.text {
				t.Errorf("text:\n got %q\nwant %q", doc.Text, tt.text)
			}
		})
	}
}

func TestReadArticle_Refused(t *testing.T) {
	sample := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "articles", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	zipWith := func(first string) []byte {
		// A local file header: signature, 26 bytes of fields, then the name.
		h := append([]byte("PK\x03\x04"), make([]byte, 26)...)
		return append(h, first...)
	}
	tests := []struct {
		name    string
		file    string
		data    []byte
		want    error
		message string // the whole message, or a prefix ending in "…"
	}{
		// tiny.pdf has no cross-reference table and no pages.
		{"PDF without pages", "paper.pdf", sample("tiny.pdf"), ErrPDF, "paper.pdf is a damaged or unreadable PDF"},
		{"PDF named .txt", "notes.txt", sample("tiny.pdf"), ErrPDF, "notes.txt is a damaged or unreadable PDF"},
		{"PDF after junk", "x", append([]byte("junk\n"), sample("tiny.pdf")...), ErrPDF, "x is a damaged or unreadable PDF"},
		{"damaged PDF", "x.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R"), ErrPDF, "x.pdf is a damaged or unreadable PDF"},
		{"PNG", "pixel.png", sample("pixel.png"), ErrUnsupported,
			"pixel.png is not a text file (it is a PNG image); Gloss reads text, Markdown, HTML, EPUB and PDF articles"},
		{"PNG named .md", "pixel.md", sample("pixel.png"), ErrUnsupported, "pixel.md is not a text file (it is a PNG image)…"},
		{"JPEG", "a.jpg", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), ErrUnsupported, "a.jpg is not a text file (it is a JPEG image)…"},
		{"GIF", "a.gif", []byte("GIF89a\x01\x00"), ErrUnsupported, "a.gif is not a text file (it is a GIF image)…"},
		{"WebP", "a.webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), ErrUnsupported, "a.webp is not a text file (it is a WebP image)…"},
		{"zip", "a.zip", zipWith("notes/readme.txt"), ErrUnsupported, "a.zip is not a text file (it is a ZIP archive); Gloss reads text, Markdown, HTML, EPUB and PDF articles: extract the article from it first"},
		{"docx", "a.docx", zipWith("[Content_Types].xml...word/document.xml"), ErrUnsupported, "a.docx is not a text file (it is a Word document); Gloss reads text, Markdown, HTML, EPUB and PDF articles: save or export it as text or HTML first"},
		{"epub", "book.epub", zipWith("mimetypeapplication/epub+zip"), ErrUnsupported, "book.epub is not a text file (it is an EPUB e-book)…"},
		{"odt", "a.odt", zipWith("mimetypeapplication/vnd.oasis.opendocument.text"), ErrUnsupported, "a.odt is not a text file (it is an OpenDocument file)…"},
		{"old Word", "a.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"), ErrUnsupported, "a.doc is not a text file (it is an old-style Microsoft Office document (.doc, .xls or .ppt))…"},
		{"gzip", "a.txt.gz", []byte("\x1F\x8B\x08\x00"), ErrUnsupported, "a.txt.gz is not a text file (it is a gzip-compressed file)…"},
		{"RTF", "a.rtf", []byte(`{\rtf1\ansi Hello}`), ErrUnsupported, "a.rtf is not a text file (it is an RTF document)…"},
		{"NUL bytes", "a.bin", []byte("text\x00more text"), ErrBinary,
			"a.bin is not a text file (it contains NUL bytes); Gloss reads text, Markdown, HTML, EPUB and PDF articles"},
		{"NUL far in", "a.txt", append(bytes.Repeat([]byte("line of text\n"), 10_000), 0), ErrBinary, "a.txt is not a text file (it contains NUL bytes)…"},
		{"many control characters", "a.dat", bytes.Repeat([]byte("ab\x01\x02\x03cd\x7F"), 100), ErrBinary, "a.dat is not a text file (it contains many control characters)…"},
		{"empty", "empty.txt", sample("empty.txt"), ErrEmpty, "empty.txt is empty; choose a file that holds the article's text"},
		{"white space only", "blank.md", []byte(" \n\t\r\n  \n"), ErrEmpty, "blank.md has no text, only white space; choose a file that holds the article's text"},
		{"BOM only", "bom.txt", []byte("\xEF\xBB\xBF"), ErrEmpty, "bom.txt has no text, only white space…"},
		{"HTML without text", "a.html", []byte("<html><head><title>T</title><script>x()</script></head><body><img src=a.png></body></html>"), ErrEmpty,
			"a.html has no readable text; choose a file that holds the article's text"},
		{"undecodable bytes", "a.txt", []byte("abc \x81 def \x98 ghi"), ErrEncoding,
			"a.txt is not UTF-8 and its encoding could not be recognised; save it as UTF-8 and try again"},
		{"invalid UTF-8 after a UTF-8 BOM", "a.txt", []byte("\xEF\xBB\xBFcaf\xE9"), ErrEncoding, "a.txt is marked as Unicode text (it starts with a byte order mark) but is not valid in that encoding…"},
		{"odd length UTF-16", "a.txt", []byte("\xFF\xFEa\x00b"), ErrEncoding, "a.txt is marked as Unicode text…"},
		{"unpaired surrogate in UTF-16", "a.txt", []byte("\xFE\xFF\x00a\xD8\x00\x00b"), ErrEncoding, "a.txt is marked as Unicode text…"},
		{"no name", "", []byte{}, ErrEmpty, "the article is empty…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ReadArticle = %+v, %v; want %v", doc, err, tt.want)
			}
			checkMessage(t, err, tt.message)
		})
	}
}

// checkMessage compares an error's message with want, which may end in "…"
// to compare a prefix only. Messages are one line.
func checkMessage(t *testing.T, err error, want string) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message is not one line: %q", msg)
	}
	if prefix, ok := strings.CutSuffix(want, "…"); ok {
		if !strings.HasPrefix(msg, prefix) {
			t.Errorf("message = %q, want it to start %q", msg, prefix)
		}
	} else if msg != want {
		t.Errorf("message = %q, want %q", msg, want)
	}
}

func TestReadArticle_TooLarge(t *testing.T) {
	data := make([]byte, MaxArticleSize+1)
	for i := range data {
		data[i] = 'a'
	}
	_, err := ReadArticle("big.txt", data)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	checkMessage(t, err, "big.txt is over 50 MB; the limit is 50 MB")

	doc, err := ReadArticle("limit.txt", data[:MaxArticleSize])
	if err != nil || len(doc.Text) != MaxArticleSize {
		t.Errorf("a file of exactly MaxArticleSize: %d bytes of text, %v", len(doc.Text), err)
	}
}

func TestCheckTextSize(t *testing.T) {
	if err := checkTextSize("a.html", strings.Repeat("a", MaxArticleSize)); err != nil {
		t.Errorf("text of MaxArticleSize: %v", err)
	}
	err := checkTextSize("a.html", strings.Repeat("a", MaxArticleSize+1))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	checkMessage(t, err, "a.html holds over 50 MB of text; the limit is 50 MB")
}

func TestTooLarge_Message(t *testing.T) {
	tests := []struct {
		size int64
		want string
	}{
		{76_755_763, "a.txt is 73.2 MB; the limit is 50 MB"},
		{MaxArticleSize + 1, "a.txt is over 50 MB; the limit is 50 MB"},
		{-1, "a.txt is over 50 MB; the limit is 50 MB"},
		{5 << 30, "a.txt is 5120.0 MB; the limit is 50 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			checkMessage(t, tooLarge("a.txt", tt.size), tt.want)
		})
	}
}

func TestReadArticleFile(t *testing.T) {
	dir := t.TempDir()

	t.Run("folder", func(t *testing.T) {
		_, err := ReadArticleFile(dir)
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("err = %v, want ErrUnsupported", err)
		}
		checkMessage(t, err, dir+" is a folder, not an article file; choose a .txt, .md or .html file")
	})

	t.Run("too large is refused unread", func(t *testing.T) {
		// A sparse file: if it were read whole the test would take 73 MB.
		path := filepath.Join(dir, "huge.txt")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(76_755_763); err != nil {
			t.Fatal(err)
		}
		f.Close()
		_, err = ReadArticleFile(path)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		checkMessage(t, err, path+" is 73.2 MB; the limit is 50 MB")
	})

	t.Run("missing", func(t *testing.T) {
		_, err := ReadArticleFile(filepath.Join(dir, "nope.txt"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want os.ErrNotExist", err)
		}
	})

	t.Run("title from the file name", func(t *testing.T) {
		path := filepath.Join(dir, "Field Notes.v2.md")
		if err := os.WriteFile(path, []byte("---\n\n***\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := ReadArticleFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Field Notes.v2" {
			t.Errorf("title = %q", doc.Title)
		}
	})
}

func TestReadArticle_Format(t *testing.T) {
	const page = "<!DOCTYPE html><title>T</title><p>Hello <b>there</b></p>"
	tests := []struct {
		name, file, data string
		format           annotations.Format
		text             string
	}{
		{"txt", "a.txt", "plain", annotations.FormatText, "plain"},
		{".text", "a.text", "plain", annotations.FormatText, "plain"},
		{"upper-case extension", "A.TXT", "plain", annotations.FormatText, "plain"},
		{"md", "a.md", "# H", annotations.FormatMarkdown, "H"},
		{"markdown", "a.markdown", "# H", annotations.FormatMarkdown, "H"},
		{"htm", "a.htm", page, annotations.FormatHTML, "Hello there"},
		{"xhtml", "a.xhtml", `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Hi<br/>there</p></body></html>`, annotations.FormatHTML, "Hi\nthere"},
		{"HTML in a .txt is text", "a.txt", page, annotations.FormatText, page},
		{"no extension, HTML sniffed", "README", page, annotations.FormatHTML, "Hello there"},
		{"unknown extension, HTML sniffed", "saved.php", "\n\n" + page, annotations.FormatHTML, "Hello there"},
		{"no extension, text", "NOTES", "Just some notes.", annotations.FormatText, "Just some notes."},
		{"unknown extension, Markdown read as text", "a.rst", "Title\n=====", annotations.FormatText, "Title\n====="},
		{"UTF-16 sniffed as HTML", "page", "\xFF\xFE" + utf16le(page), annotations.FormatHTML, "Hello there"},
		{"path with folders", filepath.Join("some.dir", "file"), "text", annotations.FormatText, "text"},
		{"article quoting PDF markers", "pdf.txt", "How PDFs work\n\nA file starts with %PDF-1.7 and ends with\n%%EOF\n", annotations.FormatText,
			"How PDFs work\n\nA file starts with %PDF-1.7 and ends with\n%%EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatalf("ReadArticle: %v", err)
			}
			if doc.Format != tt.format || doc.Text != tt.text {
				t.Errorf("got %q %q, want %q %q", doc.Format, doc.Text, tt.format, tt.text)
			}
		})
	}
}

func TestReadArticle_Encodings(t *testing.T) {
	tests := []struct {
		name string
		enc  encoding.Encoding
		text string
	}{
		{"Windows-1252 word", charmap.Windows1252, "café"},
		{"Windows-1252 quotes", charmap.Windows1252, "It’s a “quoted” word — 5 €."},
		{"Windows-1252 French sentence", charmap.Windows1252, "Le château de ma mère"},
		{"Windows-1252 French question", charmap.Windows1252, "Où est la gare ? Près d'ici."},
		{"Windows-1252 German", charmap.Windows1252, "Ich möchte ein Bier, bitte. Die Größe ist schön."},
		{"Windows-1252 Swedish", charmap.Windows1252, "Åse och Björn åt smörgås."},
		{"ISO-8859-1 Portuguese", charmap.ISO8859_1, "São Paulo é uma cidade enorme, não é? Coração, ação, informação."},
		{"Windows-1251 Russian", charmap.Windows1251, "Привет, мир! Это короткий текст на русском языке для проверки."},
		{"KOI8-R Russian", charmap.KOI8R, "Привет, мир! Это короткий текст на русском языке для проверки."},
		{"ISO-8859-2 Polish paragraph", charmap.ISO8859_2, "Polska jest krajem w Europie Środkowej. Stolicą Polski jest Warszawa, największe miasto kraju. " +
			"Język polski należy do grupy języków zachodniosłowiańskich. Wisła jest najdłuższą rzeką w Polsce, płynie przez Kraków i Warszawę do Gdańska."},
		{"Windows-1250 Czech", charmap.Windows1250, "Příliš žluťoučký kůň úpěl ďábelské ódy. Čeština je krásný jazyk."},
		{"ISO-8859-7 Greek", charmap.ISO8859_7, "Καλημέρα κόσμε, αυτό είναι ένα κείμενο στα ελληνικά."},
		{"Shift_JIS", japanese.ShiftJIS, "日本語のテキストです。これは文字コードの検出のための文章です。"},
		{"EUC-JP", japanese.EUCJP, "日本語のテキストです。これは文字コードの検出のための文章です。"},
		{"ISO-2022-JP", japanese.ISO2022JP, "日本語のテキストです。これは文字コードの検出のための文章です。"},
		{"GBK", simplifiedchinese.GBK, "这是一个用于检测字符编码的中文文本。我们希望它能被正确识别。"},
		{"EUC-KR", korean.EUCKR, "이것은 문자 인코딩 감지를 위한 한국어 텍스트입니다."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"a.txt", "a.md"} {
				doc, err := ReadArticle(name, data)
				if err != nil {
					t.Fatalf("ReadArticle(%s): %v", name, err)
				}
				if doc.Text != tt.text {
					t.Errorf("ReadArticle(%s) = %q, want %q", name, doc.Text, tt.text)
				}
			}
		})
	}

	t.Run("byte order marks", func(t *testing.T) {
		const text = "Grüße 😀"
		for name, data := range map[string]string{
			"UTF-8":    "\xEF\xBB\xBF" + text,
			"UTF-16LE": "\xFF\xFE" + utf16le(text),
			"UTF-16BE": "\xFE\xFF" + swapPairs(utf16le(text)),
			"UTF-32LE": "\xFF\xFE\x00\x00" + utf32le(text),
			"UTF-32BE": "\x00\x00\xFE\xFF" + reverseQuads(utf32le(text)),
		} {
			doc, err := ReadArticle("a.txt", []byte(data))
			if err != nil || doc.Text != text {
				t.Errorf("%s: %q, %v; want %q", name, doc.Text, err, text)
			}
		}
	})
}

func TestReadArticle_Normalised(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"CRLF", "a\r\nb\r\n", "a\nb"},
		{"lone CR", "a\rb", "a\nb"},
		{"NFD to NFC", "Cafe\u0301 cre\u0300me", "Café crème"},
		{"leading blank lines trimmed, indentation kept", "\n \n\t\n    indented\nnext\n\n\n", "    indented\nnext"},
		{"trailing white space at the very end", "text  \t\n \n", "text"},
		{"inner blank lines kept", "a\n\n\n\nb", "a\n\n\n\nb"},
		{"trailing spaces on inner lines kept", "hard  \nbreak", "hard  \nbreak"},
		{"DOS end-of-file mark removed", "text\r\n\x1a", "text"},
		{"stray controls removed", "a\x01b\x7fc\u0080d", "abcd"},
		{"form feed is a line break", "page one\fpage two", "page one\npage two"},
		{"control between letter and accent removed before NFC", "e\x01\u0301", "é"},
		{"BOM in the middle kept", "a\uFEFFb", "a\uFEFFb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle("a.txt", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Text != tt.want {
				t.Errorf("text = %q, want %q", doc.Text, tt.want)
			}
		})
	}
}

// The library finds duplicates by the hash of the text: the same article
// must give the same text however it was saved.
func TestReadArticle_SameTextTwice(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "articles"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "articles", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			first, err1 := ReadArticle(e.Name(), data)
			for range 3 {
				again, err2 := ReadArticle(e.Name(), data)
				if !reflect.DeepEqual(again, first) || (err1 == nil) != (err2 == nil) {
					t.Fatalf("second read differs: %+v, %v vs %+v, %v", again, err2, first, err1)
				}
			}
			if err1 == nil && annotations.NormalizeText(first.Text) != first.Text {
				t.Errorf("text is not normalised")
			}
		})
	}

	t.Run("same text, different files", func(t *testing.T) {
		const text = "Título\n\nPárrafo uno.\nPárrafo dos."
		variants := map[string]string{
			"LF":        text + "\n",
			"CRLF BOM":  "\xEF\xBB\xBF" + strings.ReplaceAll(text, "\n", "\r\n") + "\r\n",
			"NFD":       norm.NFD.String(text),
			"UTF-16 LE": "\xFF\xFE" + utf16le(text),
			"blank":     "\n\n" + text + "\n\n\n",
		}
		cp, _ := charmap.Windows1252.NewEncoder().String(text)
		variants["Windows-1252"] = cp
		for name, data := range variants {
			doc, err := ReadArticle("a.txt", []byte(data))
			if err != nil || doc.Text != text {
				t.Errorf("%s: %q, %v", name, doc.Text, err)
			}
		}
	})
}

func TestMarkdownTitle(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"ATX", "# Title\n\ntext", "Title"},
		{"ATX closed", "## Title ##", "Title"},
		{"ATX with hashes inside", "# C# and F# #", "C# and F#"},
		{"ATX indented three", "   # Title", "Title"},
		{"not ATX without a space", "#hashtag\n", "#hashtag"},
		{"ATX level seven is text", "####### seven", "####### seven"},
		{"emphasis removed", "# The **bold** and *italic* and _under_ and ~~gone~~ `code`", "The bold and italic and under and gone code"},
		{"snake_case kept", "# my_var_name", "my_var_name"},
		{"escapes kept as characters", `# 2 \* 3 \# not a \_marker\_`, "2 * 3 # not a _marker_"},
		{"links keep their text", "# See [the paper](http://x.org/p.pdf) and ![fig](f.png) and <https://a.org>", "See the paper and fig and https://a.org"},
		{"inline HTML removed", "# A <em>new</em> title", "A new title"},
		{"setext", "Title\n=====\n\nText", "Title"},
		{"setext level two", "Title\n---\n", "Title"},
		{"setext over two lines", "A long\ntitle\n===", "A long title"},
		{"first heading wins", "Intro line\n\n## Second level first\n\n# First level later", "Second level first"},
		{"rule is not an underline", "- item\n---\n# Real", "Real"},
		{"heading in code fence skipped", "```sh\n# comment\n```\n# Real", "Real"},
		{"tilde fence", "~~~\nTitle\n===\n~~~\nAfter", "After"},
		{"indented code skipped", "    # code\n\n# Real", "Real"},
		{"front matter title", "---\ntitle: \"From YAML\"\ndate: 2024-01-01\n---\n# Heading", "From YAML"},
		{"front matter without title", "---\ndate: 2024\n---\n\n# Heading", "Heading"},
		{"unclosed front matter is text", "---\ntitle: x\n\n# Heading", "Heading"},
		{"no heading: first line", "\n\n  First **line** here\nsecond", "First line here"},
		{"rules skipped in the first-line fallback", "***\n\nWords", "Words"},
		{"empty heading skipped", "#\n\n# Real", "Real"},
		{"long heading cut on a word", "# " + strings.Repeat("abcdefghi ", 20), strings.TrimSpace(strings.Repeat("abcdefghi ", 12)) + "…"},
		{"nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdownTitle(tt.text); got != tt.want {
				t.Errorf("markdownTitle(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTextTitle(t *testing.T) {
	long := strings.Repeat("word ", 30) + "end"
	tests := []struct {
		name, file, text, want string
	}{
		{"first line", "a.txt", "First line\nSecond", "First line"},
		{"first non-empty line, trimmed", "a.txt", "\n  \n\t  The title  \nbody", "The title"},
		{"long line cut on a word", "a.txt", long, strings.TrimSpace(strings.Repeat("word ", 24)) + "…"},
		{"long word cut anywhere", "a.txt", strings.Repeat("x", 200), strings.Repeat("x", 120) + "…"},
		{"punctuation before the cut dropped", "a.txt", strings.Repeat("abc, ", 30), strings.TrimSuffix(strings.TrimSpace(strings.Repeat("abc, ", 24)), ",") + "…"},
		{"inner white space collapsed", "a.txt", "A\u00a0 \t title", "A title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadArticle(tt.file, []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.want {
				t.Errorf("title = %q, want %q", doc.Title, tt.want)
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"paper.pdf":          "paper.pdf",
		"dir/paper-2_v1.pdf": "dir/paper-2_v1.pdf",
		"my paper.pdf":       "'my paper.pdf'",
		"it's.pdf":           `'it'\''s.pdf'`,
		"$(rm).pdf":          "'$(rm).pdf'",
		"été.pdf":            "'été.pdf'",
	}
	for in, want := range tests {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// swapPairs turns UTF-16 LE into BE.
func swapPairs(s string) string {
	b := []byte(s)
	for i := 0; i+1 < len(b); i += 2 {
		b[i], b[i+1] = b[i+1], b[i]
	}
	return string(b)
}

// utf32le encodes s as UTF-32 LE without a byte order mark.
func utf32le(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	return string(b)
}

// reverseQuads turns UTF-32 LE into BE.
func reverseQuads(s string) string {
	b := []byte(s)
	for i := 0; i+3 < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	return string(b)
}
