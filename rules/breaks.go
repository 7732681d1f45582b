package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func init() {
	register("split-paragraphs", actionDef{
		doc: "where the element's own inline content uses runs of two or more <br> as paragraph breaks, " +
			"make each part between them a <p>",
		elementsOnly: true,
		build:        noArgs(ActionFunc(splitParagraphs)),
	})
}

// splitParagraphs regroups the element's direct children: inline nodes
// between block children and between runs of <br> become paragraphs. A run
// of one <br> is a line break and stays.
func splitParagraphs(n *html.Node) bool {
	if verbatim[n.DataAtom] || n.DataAtom == atom.P || !hasBreakRun(n) {
		return false
	}
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		kids = append(kids, c)
	}
	for _, c := range kids {
		n.RemoveChild(c)
	}
	var para *html.Node
	flush := func() {
		if para != nil && !IsEmpty(para) {
			n.AppendChild(para)
		}
		para = nil
	}
	for i := 0; i < len(kids); i++ {
		c := kids[i]
		switch {
		case IsBlock(c):
			flush()
			n.AppendChild(c)
		case isBr(c):
			j := breakRunEnd(kids, i)
			if j-i >= 2 { // two breaks or more: a paragraph ends here
				flush()
				i = j - 1
				continue
			}
			if para == nil {
				continue // a break before any text breaks nothing
			}
			fallthrough
		default:
			if para == nil {
				para = &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
			}
			para.AppendChild(c)
		}
	}
	flush()
	return true
}

// breakRunEnd returns the index after the run of <br> starting at i,
// white-space text between the breaks included; it counts breaks only.
func breakRunEnd(kids []*html.Node, i int) int {
	end := i
	for k := i; k < len(kids); k++ {
		c := kids[k]
		if isBr(c) {
			end = k + 1
			continue
		}
		if c.Type == html.TextNode && strings.TrimFunc(c.Data, IsBlank) == "" {
			continue
		}
		break
	}
	// Count the breaks in [i, end).
	n := 0
	for _, c := range kids[i:end] {
		if isBr(c) {
			n++
		}
	}
	if n < 2 {
		return i + 1
	}
	return end
}

func hasBreakRun(n *html.Node) bool {
	var kids []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		kids = append(kids, c)
	}
	for i, c := range kids {
		if isBr(c) && breakRunEnd(kids, i)-i >= 2 {
			return true
		}
	}
	return false
}
