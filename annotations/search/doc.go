// Package search is Gloss's search over annotations: the query language,
// matching that forgives typos, prefixes and abbreviations, and ranking
// (DESIGN section 5), on an index kept in memory (Index) or in the
// library's store (Writer, Cache). Both run the same ranking code and give
// the same hits, in the same order, with the same scores and ranges.
//
// Contract: an Index holds the annotations that are not in the trash, each
// with its article's title. Search takes a query such as
//
//	consesus negot "peace talks" tag:method -tag:todo color:red is:fuzzy has:note article:geneva
//
// and returns hits ordered by match quality times field weight, then by
// recency (UpdatedAt), each with the matched rune ranges of every field. A
// query that cannot be read returns an error wrapping ErrQuery. An Index is
// safe for concurrent use: searches share a read lock and changes take the
// write lock, so a GUI can search off its UI thread while changes arrive.
//
// # Words, not texts
//
// Running sahilm/fuzzy over every annotation's text costs hundreds of
// milliseconds per query at 100k annotations and matches nearly everything
// for a short query (a few letters are a subsequence of almost any
// paragraph). Gloss searches words instead: a vocabulary of folded tokens
// (case-folded, accents removed, split on anything not a letter or digit),
// each with a postings list of the annotations, and the fields, that hold
// it. A query word is matched against the vocabulary, which stays small
// (tens to hundreds of thousands of words however many annotations there
// are), in four ways at once, each with its quality:
//
//   - exactly (1.0);
//   - as a prefix of a word, for words being typed ("negot" → "negotiations",
//     0.8; from two letters);
//   - with typos: optimal string alignment distance 1 from 5 letters (0.6),
//     2 from 9 letters (0.45), the thresholds of Meilisearch's typo
//     tolerance ("consesus" → "consensus"). The vocabulary is kept sorted
//     with the common prefix of neighbours, so the edit-distance table is
//     computed once per trie node and whole subtrees too far from the word
//     are passed over (Shang and Merrett 1996);
//   - as a subsequence, for abbreviations ("trnsctn" → "transaction", 0.3 to
//     0.4; from three letters, same first letter, at most twice as long):
//     sahilm/fuzzy scores and locates them among the words that pass a
//     letter-set filter, and the best ten are kept.
//
// Every query word must match (AND). A document's score is the mean over
// the query's words and phrases of the best quality times field weight
// (quote and tags 1, note 0.7, title 0.5). The postings of the first word
// mark candidates in a per-search array; each further word's lists are
// either read through or, when the candidates are far fewer, searched for
// each candidate (intersecting from the smaller side). Quoted phrases are
// intersected by their words, then checked in the text lazily, best
// candidate first, so that only about as many texts are read as hits are
// shown. Rune ranges are computed only for the hits returned.
//
// # Why by hand
//
// No Go library does this in one query: bleve and MiniSearch have prefix
// and edit-distance queries but no subsequence (abbreviation) matching
// (and bleve, measured here, ranked near misses above exact words);
// sahilm/fuzzy and fzf's algorithm
// scan every string; FSTs and Levenshtein automata (vellum) give prefixes
// and typos but not subsequences, nor the rune ranges of what matched in
// the original, unfolded text. The pieces are small: a vocabulary, postings
// of 32-bit document numbers with the fields in their low bits, and a
// per-search mark array.
//
// # Changes
//
// Put and Remove cost about as much as tokenising one annotation: a changed
// annotation gets a new document number and its postings are appended (so
// every list stays sorted); the old number is marked dead and skipped. When
// the dead pass a quarter of the live (and a thousand), the index compacts
// itself under the write lock: it renumbers the live documents and drops
// dead postings and words (about 70 ms at 100k annotations, 0.4 s at 1M).
//
// # In the store
//
// A library keeps its index in buckets of its own file (see KV for the
// layout), changed in the same transaction as the annotations: the store
// gives every write transaction a Writer and calls Update with each batch
// of annotations it writes (their old and new versions) and SetTitle when
// an article's title changes, then Flush before it commits. So the index
// is never out of step, and a failed write leaves it as it was.
//
// An annotation keeps its document number for good (annotations are
// trashed, never deleted); only live documents have postings. A batch
// rewrites the chunks of each word it adds or removes, once; new
// annotations in large batches (imports) are staged and appended in key
// order at the end of the transaction.
//
// A Cache searches the stored index in a read transaction: it holds the
// vocabulary (packed), the documents' meta bits, articles and times, and
// the articles' titles in memory, and reads from the store only the
// postings of the words a query matched, the tag lists it names, and the
// records of the hits (the index keeps no texts). The index's generation,
// bumped by every write, tells whether the cache is current; the deltas of
// the writes (Cache.Changed) bring it up to date without a reload. A
// process's first search reads the document records in place rather than
// copying them, since a command-line search is over after one.
//
// Verifier checks a stored index against the records (the library's check
// runs it); ErrCorrupt reports a damaged one, never a panic.
package search
