package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want query
	}{
		{"", query{}},
		{"   ", query{}},
		{"Consensus", query{words: []string{"consensus"}}},
		{"café  CAFÉ", query{words: []string{"cafe", "cafe"}}},
		{"state-of-the-art", query{words: []string{"state", "of", "the", "art"}}},
		{"l'été", query{words: []string{"l", "ete"}}},
		{"10:30", query{words: []string{"10", "30"}}},
		{`"peace talks" now`, query{phrases: [][]string{{"peace", "talks"}}, words: []string{"now"}}},
		{`say"peace talks"`, query{words: []string{"say"}, phrases: [][]string{{"peace", "talks"}}}},
		{`""`, query{}},
		{`"!!"`, query{}},
		{"-friday", query{notWords: []string{"friday"}}},
		{"-", query{}},
		{"tag:Method", query{tags: []string{"method"}, tagPrefix: []bool{true}}},
		{"TAG:method", query{tags: []string{"method"}, tagPrefix: []bool{true}}},
		{`tag:"Peace  Talks"`, query{tags: []string{"peace talks"}, tagPrefix: []bool{false}}},
		{"tag:C++", query{tags: []string{"c++"}, tagPrefix: []bool{true}}},
		{"tag:Café", query{tags: []string{"cafe"}, tagPrefix: []bool{true}}},
		{"-tag:todo", query{notTags: []string{"todo"}}},
		{"author:Ana", query{authors: []string{"\x00ana"}, authorPrefix: []bool{true}}},
		{`AUTHOR:"Zoë  Brandt"`, query{authors: []string{"\x00zoe brandt"}, authorPrefix: []bool{false}}},
		{"-author:ana", query{notAuthors: []string{"\x00ana"}}},
		{`author:ana tag:ana`, query{authors: []string{"\x00ana"}, authorPrefix: []bool{true}, tags: []string{"ana"}, tagPrefix: []bool{true}}},
		{"color:red colour:Blue", query{colors: 1<<1 | 1<<3}},
		{"color:grey color:8", query{colors: 1 << 7}},
		{"-color:1", query{notColors: 1}},
		{"is:orphan is:orphaned", query{statuses: 4}},
		{"is:fuzzy -is:anchored", query{statuses: 2, notStatuses: 1}},
		{"has:note -has:tags", query{hasNote: 1, hasTags: -1}},
		{"article:geneva", query{articles: [][]string{{"geneva"}}, articleIDs: []string{"geneva"}}},
		{`article:"Peace Talks"`, query{articles: [][]string{{"peace", "talks"}}, articleIDs: []string{"peace talks"}}},
		{"-article:trade", query{notArticles: [][]string{{"trade"}}, notArticleIDs: []string{"trade"}}},
		{`negot tag:method "a b" -x color:red`, query{words: []string{"negot"}, tags: []string{"method"}, tagPrefix: []bool{true}, phrases: [][]string{{"a", "b"}}, notWords: []string{"x"}, colors: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parse(tt.in)
			if err != nil {
				t.Fatalf("parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("parse(%q) =\n%+v, want\n%+v", tt.in, *got, tt.want)
			}
		})
	}
}

func TestParse_Errors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{`"peace talks`, "unclosed quote"},
		{`tag:"peace`, "unclosed quote"},
		{`tag:pea"ce"`, "quote inside a word"},
		{"foo:bar", `unknown qualifier "foo:"`},
		{"http://example.org", `unknown qualifier "http:"`},
		{"tag:", "tag: needs a value"},
		{`tag:""`, "needs a value"},
		{"-tag:", "-tag: needs a value"},
		{"color:pink", "unknown colour"},
		{"color:9", "unknown colour"},
		{"is:lost", "unknown status"},
		{"has:colour", "use has:note or has:tags"},
		{"article:!!", "no words"},
		{"author:", "author: needs a value"},
		{`-author:""`, "needs a value"},
		{"author:\u0301", "no name to look for"},
		{`author:"ana`, "unclosed quote"},
		{`-"peace talks"`, "cannot exclude a phrase"},
		{strings.Repeat("w ", maxWords+1), "too many words"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := parse(tt.in)
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("parse(%q) = %v, want an ErrQuery", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("parse(%q) = %q, want one line saying %q", tt.in, err, tt.msg)
			}
			// Search says the same, whatever the index holds.
			if _, err := New().Search(tt.in, 0); !errors.Is(err, ErrQuery) {
				t.Errorf("Search(%q) = %v", tt.in, err)
			}
		})
	}
}
