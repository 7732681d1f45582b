package clean

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// simplify removes what cannot change the Markdown before the converter
// sees the tree: the converter's cost is per node, and scraped HTML is full
// of formatting wrappers and indentation between blocks. It unwraps
// span and font elements (Markdown has no colour or font) and drops white
// space that only separates blocks. Verbatim elements are left alone.
func simplify(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.ElementNode && (c.DataAtom == atom.Span || c.DataAtom == atom.Font):
			simplify(c)
			for k := c.FirstChild; k != nil; k = c.FirstChild {
				c.RemoveChild(k)
				n.InsertBefore(k, c)
			}
			n.RemoveChild(c)
		case c.Type == html.ElementNode && !verbatimTags[c.DataAtom]:
			simplify(c)
		case c.Type == html.TextNode && betweenBlocks(c):
			n.RemoveChild(c)
		}
		c = next
	}
}

var verbatimTags = map[atom.Atom]bool{atom.Pre: true, atom.Code: true, atom.Textarea: true}

// betweenBlocks reports white space whose neighbours are blocks or the
// edges of a block: it renders as nothing.
func betweenBlocks(t *html.Node) bool {
	if strings.TrimLeft(t.Data, " \t\r\n\f") != "" {
		return false
	}
	edge := func(s *html.Node) bool {
		if s == nil {
			return t.Parent != nil && rules.IsBlock(t.Parent)
		}
		return rules.IsBlock(s)
	}
	return edge(t.PrevSibling) && edge(t.NextSibling)
}
