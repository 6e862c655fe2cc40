// Package formats reads and writes the files Gloss exchanges with the world:
// article files (plain text, Markdown, HTML) on the way in, and annotation
// files (Gloss's native JSON, W3C Web Annotation JSON-LD, Markdown, CSV) in
// both directions.
//
// # Articles
//
// ReadArticle and ReadArticleFile turn an article file into a Document: a
// title, a format and the text the library stores. The contract:
//
//   - The text is valid UTF-8 in Unicode NFC with "\n" line endings, no byte
//     order mark, no NUL and no other invisible control characters, and no
//     leading or trailing blank lines (see annotations.NormalizeText). Reading
//     the same bytes twice gives exactly the same text, so the library's
//     content hash finds duplicates.
//   - Text and Markdown files keep their source text (Markdown is shown as
//     written, not rendered). HTML is reduced to the readable article with
//     readability and flattened to paragraphs separated by one blank line.
//   - Bytes that are not UTF-8 are decoded from the encoding they are in
//     (byte order mark, the charset an HTML page declares, or a detected
//     legacy encoding) or refused with ErrEncoding; they are never stored as
//     replacement characters without notice. UTF-8 with invalid bytes in it
//     (a damaged file, or two encodings mixed) is refused, not decoded as a
//     legacy encoding.
//   - Reading is bounded: files over MaxArticleSize, HTML pages of over
//     500,000 elements, and folders, named pipes, devices and sockets are
//     refused before they are read; reading the largest file accepted
//     takes at most about ten times its size in memory.
//   - Anything that is not a readable article is refused with an error whose
//     message is one line saying what is wrong and what to do, and which
//     wraps one of the sentinel errors (ErrEmpty, ErrTooLarge, ErrBinary,
//     ErrPDF, ErrUnsupported, ErrEncoding) for errors.Is.
//   - No input makes a reader panic, and nothing is fetched from the network
//     (FetchArticle fetches the page it is given, and its pictures only when
//     FetchOptions.Images asks).
//   - The pictures that come with an article are kept with it (see
//     images.go): an EPUB's from its archive, a local HTML or Markdown
//     file's from its folder (ReadArticleFile only), within bounds; one
//     that cannot be kept is skipped, and never makes the article fail.
//
// # Imports
//
// ReadNative and ReadW3C read import files of up to MaxImportSize. A string
// that is not valid UTF-8 (or a \u escape of half a surrogate pair) is
// refused with ErrJSON, naming the record and the line, rather than read
// as U+FFFD; the content is checked against the library's limits when the
// bundle is imported (see annotations.MaxTextSize).
//
// # Export templates
//
// ParseTemplate, WriteMarkdown and WriteMarkdownSplit run Go text/template
// files within bounds (see template.go): however it is written, a template
// cannot make huge strings, write without end, recurse or loop without
// bound, or exhaust memory; it stops with an error instead.
package formats
