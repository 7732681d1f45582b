package clean_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// preTexts returns the text of every <pre> left in a cleaned body, as a
// reader of the page sees it (a <br> is a line end), in document order.
func preTexts(body *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Pre {
			var b strings.Builder
			var text func(n *html.Node)
			text = func(n *html.Node) {
				switch {
				case n.Type == html.TextNode:
					b.WriteString(n.Data)
				case n.Type == html.ElementNode && n.DataAtom == atom.Br:
					b.WriteString("\n")
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					text(c)
				}
			}
			text(n)
			out = append(out, b.String())
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	return out
}

// TestCodeBlocksKeptByteForByte: for every fixture, and every post of the
// shared corpus when it is there, each <pre> the rules leave reads back
// from the Markdown, through goldmark, as the same text (a final line end
// aside, which a fence adds).
func TestCodeBlocksKeptByteForByte(t *testing.T) {
	files, _ := filepath.Glob("../testdata/golden/*.in.md")
	corpus, _ := filepath.Glob("../../shared/corpus/*/*.md")
	files = append(files, corpus...)
	c := defaultCleaner(t)
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		body, _, err := c.Tree("", src)
		if err != nil || body == nil {
			continue
		}
		want := preTexts(body)
		res, err := c.Clean("", src)
		if err != nil {
			continue
		}
		out, _ := splitOut(res.Output)
		got := codeBlocks(out)
		if len(got) != len(want) {
			t.Errorf("%s: %d code blocks read back, %d <pre> in the cleaned page", f, len(got), len(want))
			continue
		}
		for i := range want {
			if strings.TrimSuffix(got[i], "\n") != strings.TrimSuffix(want[i], "\n") {
				t.Errorf("%s: code block %d reads %q, the page had %q", f, i+1, got[i], want[i])
			}
			checked++
		}
	}
	t.Logf("%d code blocks checked in %d posts", checked, len(files))
	if checked == 0 {
		t.Fatal("no code block checked")
	}
}
