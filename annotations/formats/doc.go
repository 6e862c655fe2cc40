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
//     replacement characters without notice.
//   - Anything that is not a readable article is refused with an error whose
//     message is one line saying what is wrong and what to do, and which
//     wraps one of the sentinel errors (ErrEmpty, ErrTooLarge, ErrBinary,
//     ErrPDF, ErrUnsupported, ErrEncoding) for errors.Is.
//   - No input makes a reader panic, and nothing is fetched from the network.
package formats
