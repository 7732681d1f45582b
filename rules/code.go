package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func init() {
	register("breaks-to-newlines", actionDef{
		doc: "in preformatted text, turn each <br> into a newline; a <br> already followed by a " +
			"newline is dropped, so that lines are not doubled",
		elementsOnly: true,
		build:        noArgs(ActionFunc(breaksToNewlines)),
	})
	register("pre-to-text", actionDef{
		doc: "make a <pre> that holds prose ordinary text: a <div> whose line ends are <br> and whose " +
			"blank lines separate paragraphs",
		elementsOnly: true,
		build:        noArgs(ActionFunc(preToText)),
	})
}

func breaksToNewlines(n *html.Node) bool {
	var brs []*html.Node
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			brs = append(brs, c)
		}
	})
	for _, br := range brs {
		next := followingLeaf(br, n)
		if next == nil || next.Type != html.TextNode || !strings.HasPrefix(strings.TrimLeft(next.Data, "\r"), "\n") {
			br.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: "\n"}, br)
		}
		br.Parent.RemoveChild(br)
	}
	return len(brs) > 0
}

// followingLeaf returns the first leaf after n in document order, inside root.
func followingLeaf(n, root *html.Node) *html.Node {
	for x := n; x != nil && x != root; x = x.Parent {
		if y := x.NextSibling; y != nil {
			for y.FirstChild != nil {
				y = y.FirstChild
			}
			return y
		}
	}
	return nil
}

func preToText(n *html.Node) bool {
	if n.Parent == nil {
		return false
	}
	div := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	para := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
	div.AppendChild(para)
	newPara := func() {
		if para.FirstChild != nil {
			para = &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
			div.AppendChild(para)
		}
	}
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		if c.Type != html.TextNode {
			para.AppendChild(c)
			continue
		}
		lines := strings.Split(strings.ReplaceAll(c.Data, "\r\n", "\n"), "\n")
		for i, line := range lines {
			if i > 0 {
				if strings.TrimSpace(line) == "" && i < len(lines)-1 {
					newPara() // a blank line ends the paragraph
					continue
				}
				if para.FirstChild != nil {
					para.AppendChild(&html.Node{Type: html.ElementNode, Data: "br", DataAtom: atom.Br})
				}
			}
			if line != "" {
				para.AppendChild(&html.Node{Type: html.TextNode, Data: line})
			}
		}
	}
	n.Parent.InsertBefore(div, n)
	n.Parent.RemoveChild(n)
	return true
}
