package formats_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// benchBundle is a library of 1,000 articles of about 6 KB (with accents
// and an emoji) and 100 annotations on each: 100,000 annotations, in every
// colour, half with a note, most with tags, as Export returns them.
func benchBundle(b *testing.B) annotations.Bundle {
	b.Helper()
	const articles, perArticle = 1000, 100
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	para := "Negotiators met again in Genève on Tuesday 👍; the café talks resumed after a year of silence, and the “ceasefire” mostly held. "
	var bundle annotations.Bundle
	bundle.Articles = make([]annotations.Article, 0, articles)
	bundle.Annotations = make([]annotations.Annotation, 0, articles*perArticle)
	for i := range articles {
		var text strings.Builder
		for p := range 48 {
			fmt.Fprintf(&text, "§%d.%d %s", i, p, para)
			if p%4 == 3 {
				text.WriteString("\n\n")
			}
		}
		art := annotations.Article{
			ID: uuid.Must(uuid.NewV7()), Title: fmt.Sprintf("Talks, part %d", i), Source: fmt.Sprintf("https://news.example.org/talks/%d", i),
			Format: annotations.FormatHTML, Text: text.String(), AddedAt: at, UpdatedAt: at,
		}
		if i%2 == 0 {
			art.Source = fmt.Sprintf("/home/r/articles/talks-%d.txt", i)
			art.Format = annotations.FormatText
		}
		art.Hash = annotations.HashText(art.Text)
		bundle.Articles = append(bundle.Articles, art)
		tx := anchor.NewText(art.Text)
		for k := range perArticle {
			start := (k * tx.Len() / perArticle) % (tx.Len() - 60)
			target, err := tx.Capture(start, start+20+k%40)
			if err != nil {
				b.Fatal(err)
			}
			a := annotations.Annotation{
				ID: uuid.Must(uuid.NewV7()), ArticleID: art.ID, Color: annotations.Colors[k%len(annotations.Colors)],
				Tags: []string{}, Status: annotations.StatusAnchored, Target: target,
				CreatedAt: at.Add(time.Duration(i*perArticle+k) * time.Second), UpdatedAt: at.Add(time.Duration(i*perArticle+k) * time.Second),
			}
			if k%2 == 0 {
				a.Note = fmt.Sprintf("Compare with part %d: the **wording** changed.\nSee the minutes.", k)
			}
			if k%3 != 0 {
				a.Tags = []string{"peace talks", fmt.Sprintf("round %d", k%7)}
			}
			bundle.Annotations = append(bundle.Annotations, a)
		}
	}
	return bundle
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// BenchmarkExport100k writes 100,000 annotations (and, for json, the
// 1,000 articles' texts) in each format to a writer that only counts
// bytes; MB/s is output bytes per second.
func BenchmarkExport100k(b *testing.B) {
	bundle := benchBundle(b)
	labels := annotations.DefaultColorLabels
	now := time.Now()
	writers := []struct {
		name  string
		write func(w io.Writer) error
	}{
		{"json", func(w io.Writer) error { return formats.WriteNative(w, bundle, now) }},
		{"w3c", func(w io.Writer) error { return formats.WriteW3C(w, bundle, labels, now) }},
		{"markdown", func(w io.Writer) error { return formats.WriteMarkdown(w, bundle, labels, nil) }},
		{"csv", func(w io.Writer) error { return formats.WriteCSV(w, bundle, labels) }},
	}
	for _, wr := range writers {
		b.Run(wr.name, func(b *testing.B) {
			var size countingWriter
			if err := wr.write(&size); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size.n)
			b.ReportAllocs()
			for b.Loop() {
				if err := wr.write(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadW3C100k reads back the W3C export of BenchmarkExport100k;
// MB/s is input bytes per second.
func BenchmarkReadW3C100k(b *testing.B) {
	bundle := benchBundle(b)
	var buf bytes.Buffer
	if err := formats.WriteW3C(&buf, bundle, annotations.DefaultColorLabels, time.Now()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		got, err := formats.ReadW3C(buf.Bytes())
		if err != nil || len(got) != len(bundle.Annotations) {
			b.Fatal(len(got), err)
		}
	}
}
