// Package search is Gloss's in-memory search index over annotations: the
// query language, matching that forgives typos, prefixes and abbreviations,
// and ranking (DESIGN section 5).
//
// Contract: an Index holds the annotations that are not in the trash, each
// with its article's title. Search takes a query such as
//
//	consesus negot "peace talks" tag:method -tag:todo color:red is:fuzzy has:note article:geneva
//
// and returns hits ordered by match quality times field weight, then by
// recency (UpdatedAt), each with the matched rune ranges of every field. A
// query that cannot be read returns an error wrapping ErrQuery. The Index is
// safe for concurrent use: searches share a read lock, changes take the
// write lock, so a GUI can search off its UI thread while changes arrive.
//
// # Why words, and why by hand
//
// Running sahilm/fuzzy over every annotation's text costs about 160 ms per
// query at 100k annotations and matches nearly everything for a short query
// (a few letters are a subsequence of almost any 200 characters). Gloss
// searches words instead: a vocabulary of folded tokens (lower-cased,
// accents removed), each with a postings list of the annotations (and the
// fields) that hold it. Each query word is matched against the vocabulary,
// which stays small (thousands to a few hundred thousand words however many
// annotations there are), in four ways at once:
//
//   - exactly;
//   - as a prefix of a word ("negot" → "negotiations"; words being typed);
//   - with small typos: optimal string alignment distance (Damerau–
//     Levenshtein with adjacent transpositions) at most 1 for words of 5 to
//     8 letters and 2 from 9 letters (the thresholds of Meilisearch's typo
//     tolerance), after cheap length and letter-set filters;
//   - as a subsequence ("trnsctn" → "transaction"), scored and located by
//     sahilm/fuzzy over the vocabulary words that begin with the same letter.
//
// The postings of the matched words are then intersected across query
// words (AND) with a dense per-document mark array, or, once the
// candidates are few, by binary search in the remaining postings lists.
//
// The index is hand-written because no Go library does this in one query:
// bleve and MiniSearch offer prefix and edit-distance queries but no
// subsequence (abbreviation) matching and no per-field rune ranges of fuzzy
// matches; sahilm/fuzzy and fzf's algorithm scan every string; tries and
// FSTs (vellum) do prefixes and Levenshtein automata but not subsequences.
// The vocabulary is small enough that scanning it per query word, with
// filters, costs well under a millisecond, and postings lists of 32-bit
// document numbers keep memory low.
//
// Changes are cheap: a changed annotation gets a new document number and
// its postings are appended (so every list stays sorted); the old number is
// marked dead and skipped. When dead documents pass a quarter of the live
// ones, the index compacts itself (renumbers, drops dead postings and
// words).
package search
