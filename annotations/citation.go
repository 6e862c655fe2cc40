package annotations

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Citation is what a researcher cites an article by: its authors, the year
// it was published, its DOI and its web address. Readers fill what the
// file says (HTML meta tags, Markdown front matter, PDF and EPUB
// metadata); the reader can edit it. Any part may be empty.
type Citation struct {
	Authors []string `json:"authors,omitempty"`
	Year    int      `json:"year,omitempty"`
	DOI     string   `json:"doi,omitempty"`
	URL     string   `json:"url,omitempty"`
}

// Limits of a citation.
const (
	// MaxAuthors is the most authors an article lists.
	MaxAuthors = 200
	// MaxAuthorLength is the longest author's name, in characters.
	MaxAuthorLength = 200
	// MinYear and MaxYear bound a year of publication.
	MinYear, MaxYear = 1000, 2999
)

// doiPattern is a DOI: "10.", a registrant code, "/", a suffix (Crossref's
// advice for matching modern DOIs, which cover nearly all of them).
var doiPattern = regexp.MustCompile(`^10\.\d{4,9}/\S+$`)

// NormalizeDOI returns a DOI in its plain form ("10.1000/xyz123") from the
// ways it is written: "doi:10.1000/xyz123", "https://doi.org/10.1000/…",
// "DOI 10.1000/…". It returns "" when s holds none.
func NormalizeDOI(s string) string {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	for _, p := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:", "doi "} {
		if strings.HasPrefix(lower, p) {
			s, lower = strings.TrimSpace(s[len(p):]), strings.TrimSpace(lower[len(p):])
		}
	}
	s = strings.TrimRight(s, ".,;")
	if !doiPattern.MatchString(s) {
		return ""
	}
	return s
}

// normalizeCitation checks a citation against the limits and returns it as
// the library stores it: names on one line, repeats and empty names
// dropped, the DOI in its plain form, the URL an http(s) address.
func normalizeCitation(c Citation) (Citation, error) {
	var out Citation
	seen := map[string]bool{}
	for _, a := range c.Authors {
		if err := checkText("an author's name", a); err != nil {
			return Citation{}, err
		}
		a = strings.Join(strings.Fields(NormalizeText(a)), " ")
		if a == "" || seen[strings.ToLower(a)] {
			continue
		}
		if n := utf8.RuneCountInString(a); n > MaxAuthorLength {
			return Citation{}, fmt.Errorf("%w: the author %s is %d characters long; a name can be at most %d", ErrLimit, QuoteInput(a), n, MaxAuthorLength)
		}
		seen[strings.ToLower(a)] = true
		out.Authors = append(out.Authors, a)
	}
	if len(out.Authors) > MaxAuthors {
		return Citation{}, fmt.Errorf("%w: %d authors; an article can list at most %d", ErrLimit, len(out.Authors), MaxAuthors)
	}
	if c.Year != 0 && (c.Year < MinYear || c.Year > MaxYear) {
		return Citation{}, fmt.Errorf("%w: the year %d is not a year of publication", ErrInvalidArticle, c.Year)
	}
	out.Year = c.Year
	if strings.TrimSpace(c.DOI) != "" {
		if err := checkText("the DOI", c.DOI); err != nil {
			return Citation{}, err
		}
		if out.DOI = NormalizeDOI(c.DOI); out.DOI == "" || len(out.DOI) > MaxSourceLength {
			return Citation{}, fmt.Errorf("%w: %s is not a DOI (they look like 10.1000/xyz123)", ErrInvalidArticle, QuoteInput(c.DOI))
		}
	}
	if u := strings.TrimSpace(c.URL); u != "" {
		if err := checkText("the URL", u); err != nil {
			return Citation{}, err
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > MaxSourceLength {
			return Citation{}, fmt.Errorf("%w: %s is not a web address (http:// or https://)", ErrInvalidArticle, QuoteInput(u))
		}
		out.URL = u
	}
	return out, nil
}

// Cite returns the citation on one line, as exports and the window show
// it: "Ada Lovelace, Charles Babbage · 1843 · doi:10.1000/xyz". Empty when
// the article has none.
func (c Citation) Cite() string {
	var parts []string
	sep := ", "
	for _, a := range c.Authors {
		if strings.Contains(a, ",") { // "Lovelace, Ada"
			sep = "; "
		}
	}
	switch n := len(c.Authors); {
	case n > 3:
		parts = append(parts, c.Authors[0]+" et al.")
	case n > 0:
		parts = append(parts, strings.Join(c.Authors, sep))
	}
	if c.Year != 0 {
		parts = append(parts, fmt.Sprint(c.Year))
	}
	if c.DOI != "" {
		parts = append(parts, "doi:"+c.DOI)
	}
	return strings.Join(parts, " · ")
}

// Empty reports whether the citation says nothing.
func (c Citation) Empty() bool {
	return len(c.Authors) == 0 && c.Year == 0 && c.DOI == "" && c.URL == ""
}

// readCitation keeps what checks out of a citation read from a file: a
// page's meta tags are not the reader's typing, and one bad part (a date
// in the future's future, a mangled DOI) should not refuse the article.
func readCitation(c Citation) Citation {
	if got, err := normalizeCitation(c); err == nil {
		return got
	}
	var out Citation
	for _, part := range []Citation{{Authors: c.Authors}, {Year: c.Year}, {DOI: c.DOI}, {URL: c.URL}} {
		if got, err := normalizeCitation(part); err == nil {
			out.Authors = append(out.Authors, got.Authors...)
			out.Year = max(out.Year, got.Year)
			out.DOI += got.DOI
			out.URL += got.URL
		}
	}
	return out
}
