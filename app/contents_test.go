package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

func TestTableOfContents(t *testing.T) {
	type B = annotations.Block
	const book = "Chapter One\n\nIt begins.\n\nA scene\n\nMore.\n\nChapter Two\n\nÉtudes, and a very long heading that goes on"
	//            0          11  13        23  25     32 34   39 41         52 54
	tests := map[string]struct {
		text string
		st   *annotations.Structure
		want []contentsEntry
	}{
		"no structure": {"Just text.", nil, nil},
		"headings": {"Title\n\nIntro.\n\nPart\n\nDetail\n\nDeep", &annotations.Structure{Blocks: []B{
			{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 5},
			{Kind: annotations.BlockParagraph, Start: 7, End: 13},
			{Kind: annotations.BlockHeading, Level: 2, Start: 15, End: 19},
			{Kind: annotations.BlockHeading, Level: 3, Start: 21, End: 27},
			{Kind: annotations.BlockHeading, Level: 4, Start: 29, End: 33},
		}}, []contentsEntry{{"Title", 0, 0}, {"Part", 1, 15}, {"Detail", 2, 21}}},
		"chapters named by their first line, their own heading not twice": {book, &annotations.Structure{Blocks: []B{
			{Kind: annotations.BlockChapter, Level: 1, Start: 0, End: 39},
			{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 11},
			{Kind: annotations.BlockHeading, Level: 2, Start: 25, End: 32},
			{Kind: annotations.BlockChapter, Level: 1, Start: 41, End: 99},
		}}, []contentsEntry{{"Chapter One", 0, 0}, {"A scene", 2, 25}, {"Chapter Two", 0, 41}}},
	}
	tests["a title page named as the first chapter, listed once"] = struct {
		text string
		st   *annotations.Structure
		want []contentsEntry
	}{"Book\n\nBy A.\n\nBook\n\nIt begins.", &annotations.Structure{Blocks: []B{
		{Kind: annotations.BlockChapter, Level: 1, Start: 0, End: 11},
		{Kind: annotations.BlockChapter, Level: 1, Start: 13, End: 29},
	}}, []contentsEntry{{"Book", 0, 0}}}
	long := strings.Repeat("a", 100)
	tests["a long heading cut"] = struct {
		text string
		st   *annotations.Structure
		want []contentsEntry
	}{long + "\n\nBody", &annotations.Structure{Blocks: []B{{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 100}}},
		[]contentsEntry{{long[:maxContentsRunes] + "…", 0, 0}}}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			st := tt.st
			if st != nil {
				for i := range st.Blocks {
					st.Blocks[i].End = min(st.Blocks[i].End, len([]rune(tt.text)))
				}
			}
			if got := tableOfContents(tt.text, st); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
