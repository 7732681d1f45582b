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

// For every element rule of the default set and every fixture body, the
// index's candidates hold every element the rule's selector matches, and
// the sketch never rules out a text pattern that some element's text
// matches: the two shortcuts only ever skip work.
func TestShortcutsKeepEveryMatch(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../testdata/golden/*.in.md")
	srcs := []string{`<div class="x" id="y"><p class="share-box">分享到：</p><span id=share_1>THE END</span><pre><button>复制</button><span>Copy</span></pre></div><p class="">（完）</p><a class=copy-btn id=a>x</a>`}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	checked := 0
	for _, src := range srcs {
		root, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		d := &doc{root: root}
		d.reset()
		for _, r := range set.Rules() {
			et, ok := r.target.(*elementTarget)
			if !ok {
				continue
			}
			list, indexed := d.elements(et.tags)
			in := map[int32]bool{}
			for _, i := range list {
				in[i] = true
			}
			for i, n := range d.all {
				if n.Type != html.ElementNode || !et.sel.Match(n) {
					continue
				}
				checked++
				if et.tags != nil && !et.tags.has(n) {
					t.Errorf("rule %s: <%s> matches its selector but not its tag set", r.Name, n.Data)
				}
				if indexed && !in[int32(i)] {
					t.Errorf("rule %s: <%s> matches its selector but is not among the indexed candidates", r.Name, n.Data)
				}
				if et.text != nil && et.text.MatchString(Text(n)) && !d.present(et.text) {
					t.Errorf("rule %s: the sketch rules out %q, which <%s>'s text matches", r.Name, et.text, n.Data)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d selector matches checked", checked)
	}
}
