package learn

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// A block is one unit a rule can remove: a leaf element (a block element
// with no block inside), a line of a block (a run of inline content between
// block edges and <br>, which a line: rule removes), or an image.
type block struct {
	kind   string // an element name, "line" or "img"
	text   string // its text, white space collapsed; an image's src
	size   int    // visible characters it holds
	linked bool   // all its text is link text: a link, which is kept
	bold   bool   // all its text is bold or italic: a heading in all but name
}

// Blocks longer than this are article text, not furniture: they are not
// candidates, and the learner keeps no copy of them.
const maxBlockRunes = 200

// never holds the elements no learned rule removes, nor looks inside:
// headings, code and table data carry article content even when they
// recur (a recipe's "Ingredients", a price table's figures).
var never = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Code: true, atom.Script: true, atom.Style: true, atom.Template: true,
	atom.Table: true,
}

// blocksOf lists the blocks of a body in document order, and the visible
// characters of the whole body.
func blocksOf(body *html.Node) (out []block, total int) {
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		var run []*html.Node
		flush := func() {
			if b, ok := lineOf(run); ok {
				out = append(out, b)
			}
			run = run[:0]
		}
		hasBlock, hasBr := false, false
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if rules.IsBlock(c) {
				hasBlock = true
			} else if c.Type == html.ElementNode && c.DataAtom == atom.Br {
				hasBr = true
			}
		}
		if !hasBlock && !hasBr && n.Type == html.ElementNode && rules.IsBlock(n) && n.DataAtom != atom.Body {
			// A leaf block: one element block, and its images.
			if t := collapse(rules.Text(n)); t != "" {
				nodes := []*html.Node{n}
				out = append(out, block{kind: n.Data, text: t, size: utf8.RuneCountInString(t),
					linked: all(nodes, atom.A), bold: all(nodes, emphasis...)})
			}
			images(n, &out)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && never[c.DataAtom]:
				flush()
			case rules.IsBlock(c):
				flush()
				visit(c)
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				flush()
			default:
				run = append(run, c)
				images(c, &out)
			}
		}
		flush()
	}
	visit(body)
	total = utf8.RuneCountInString(collapse(rules.Text(body)))
	return out, total
}

// lineOf makes a line block of a run of inline nodes. A run with a <br>
// or a block inside one of its elements is no line to the rule engine
// (it runs on into the next), so it is none here either.
func lineOf(run []*html.Node) (block, bool) {
	var b strings.Builder
	for _, n := range run {
		if breaks(n) {
			return block{}, false
		}
		b.WriteString(rules.Text(n))
	}
	t := collapse(b.String())
	if t == "" {
		return block{}, false
	}
	return block{kind: "line", text: t, size: utf8.RuneCountInString(t),
		linked: all(run, atom.A), bold: all(run, emphasis...)}, true
}

var emphasis = []atom.Atom{atom.B, atom.Strong, atom.I, atom.Em}

// breaks reports an element with a <br> or a block inside.
func breaks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Br || rules.IsBlock(c)) || breaks(c) {
			return true
		}
	}
	return false
}

// all reports nodes whose every visible character is inside one of the
// elements named.
func all(nodes []*html.Node, in ...atom.Atom) bool {
	free := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			free = free || strings.TrimFunc(n.Data, rules.IsBlank) != ""
		case n.Type == html.ElementNode && slices.Contains(in, n.DataAtom):
			return
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return !free
}

// images adds the images under n.
func images(n *html.Node, out *[]block) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			for _, a := range n.Attr {
				if a.Key == "src" && a.Val != "" {
					*out = append(*out, block{kind: "img", text: a.Val})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
}

// collapse trims s and turns every run of white space (NBSP and U+3000
// included) into one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, rules.IsBlank), " ")
}

// redirects returns the redirects the links under body go through: for a
// link whose query carries an absolute http(s) URL (a click tracker or an
// affiliate wrapper), its scheme, host and path with "?" and the name of
// that parameter, "https://example.com/go?url". Each once, sorted.
func redirects(body *html.Node) []string {
	seen := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			for _, a := range n.Attr {
				if a.Key != "href" {
					continue
				}
				u, err := url.Parse(strings.TrimSpace(a.Val))
				if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
					continue
				}
				for name, vs := range u.Query() {
					for _, v := range vs {
						if d, err := url.Parse(v); err == nil && (d.Scheme == "http" || d.Scheme == "https") && d.Host != "" {
							seen[u.Scheme+"://"+u.Host+u.EscapedPath()+"?"+name] = true
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
