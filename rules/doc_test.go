package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The index's sizes, texts and spans agree with a plain recursive reading
// of the tree, on every fixture body.
func TestDocIndexAgreesWithTree(t *testing.T) {
	files, _ := filepath.Glob("../testdata/golden/*.in.md")
	if len(files) < 10 {
		t.Fatalf("only %d fixtures", len(files))
	}
	files = append(files, "") // and a hand-made one
	for _, f := range files {
		src := `<div><a href="/x">link <b>bold</b><img src=a></a> tail<p>one<video src=v>fallback</video></p><ul><li>a<li><a href=y>b</a></ul></div>`
		if f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src = string(b)
		}
		root, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		d := &doc{root: root}
		d.reset()
		l := d.articleLayout()
		var leaves []int32 // content leaves' blocks, in order
		for i, n := range d.all {
			want := naiveSize(n, inLinkNaive(n))
			if got := d.size(int32(i)); got != want {
				t.Fatalf("%s: node %d <%s>: size %+v, want %+v", f, i, n.Data, got, want)
			}
			if got := d.text(int32(i)); got != Text(n) {
				t.Fatalf("%s: node %d: text %q, want %q", f, i, got, Text(n))
			}
			if d.end[i] <= int32(i) || (n.NextSibling != nil && d.all[d.end[i]] != n.NextSibling) {
				t.Fatalf("%s: node %d: subtree end %d is wrong", f, i, d.end[i])
			}
			first, last, ok := l.span(int32(i))
			if ok != (want.chars > 0) || ok && first > last {
				t.Fatalf("%s: node %d: span %d-%d %v for %d visible characters", f, i, first, last, ok, want.chars)
			}
			if ok && isContent(n) {
				leaves = append(leaves, int32(first))
			}
		}
		for k := 1; k < len(leaves); k++ {
			if leaves[k] < leaves[k-1] {
				t.Fatalf("%s: blocks out of document order", f)
			}
		}
	}
}

func inLinkNaive(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isLink(p) {
			return true
		}
	}
	return false
}

func naiveSize(n *html.Node, link bool) size {
	link = link || isLink(n)
	var s size
	if isContent(n) {
		s.chars = int32(visible(n))
		if link {
			s.linked = s.chars
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := naiveSize(c, link)
		s.chars += cs.chars
		s.linked += cs.linked
	}
	return s
}
