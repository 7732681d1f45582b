package rules

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The place filters judge an element by where it sits in the article and
// what it is made of, not by its words alone: site furniture (a reprint
// notice, a share row, a promo bar) is short, sits at the article's edges and
// is often mostly links, while article text mentioning the same words sits
// inside longer paragraphs in the middle.

// placeFilter holds the filters of one rule that measure an element's place
// and make-up. A nil field is not tested.
type placeFilter struct {
	first, last *int     // position: one block, among the first or last N
	textOnly    bool     // position: count only blocks with text, not media alone
	maxLength   *int     // max-length: visible characters
	minDensity  *float64 // link-density: min
	maxDensity  *float64 // link-density: max
	tail        *tailTest
}

// tailTest is link-tail: at most maxBlocks blocks follow the element to the
// end of the article, each with at least minDensity of its text in links.
type tailTest struct {
	maxBlocks  int
	minDensity float64
}

func (f *placeFilter) needsLayout() bool {
	return f.first != nil || f.last != nil || f.tail != nil
}

// cheap runs the tests that look only inside the element, given its size.
func (f *placeFilter) cheap(s size) bool {
	if f.maxLength == nil && f.minDensity == nil && f.maxDensity == nil {
		return true
	}
	chars, linked := s.chars, s.linked
	if f.maxLength != nil && chars > *f.maxLength {
		return false
	}
	if f.minDensity != nil || f.maxDensity != nil {
		d := density(chars, linked)
		if f.minDensity != nil && d < *f.minDensity || f.maxDensity != nil && d > *f.maxDensity {
			return false
		}
	}
	return true
}

// placed runs the tests that need the whole article's layout.
func (f *placeFilter) placed(n *html.Node, l *layout) bool {
	first, last, ok := l.span(n)
	if !ok {
		return false // nothing visible: no place among the blocks
	}
	return f.placedSpan(first, last, l)
}

// placedSpan runs the layout tests on a run of blocks.
func (f *placeFilter) placedSpan(first, last int, l *layout) bool {
	if f.first != nil || f.last != nil {
		if first != last {
			return false // a container of several blocks is not one line of furniture
		}
		before, after := first, len(l.blocks)-1-last // blocks before and after
		if f.textOnly {
			before, after = l.textBlocks(0, first), l.textBlocks(last+1, len(l.blocks))
		}
		atStart := f.first != nil && before < *f.first
		atEnd := f.last != nil && after < *f.last
		if !atStart && !atEnd {
			return false
		}
	}
	if f.tail != nil {
		after := l.blocks[last+1:]
		if len(after) > f.tail.maxBlocks {
			return false
		}
		for _, b := range after {
			if density(b.chars, b.linked) < f.tail.minDensity {
				return false
			}
		}
	}
	return true
}

// textBlocks counts the blocks in [from, to) that hold text.
func (l *layout) textBlocks(from, to int) int {
	n := 0
	for _, b := range l.blocks[from:to] {
		if b.text {
			n++
		}
	}
	return n
}

func density(chars, linked int) float64 {
	if chars == 0 {
		return 0
	}
	return float64(linked) / float64(chars)
}

// isContent reports the leaves a reader sees: text with a visible character,
// and media (an image counts as one character). A rule is not a leaf of
// content but a block boundary.
func isContent(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		return strings.IndexFunc(n.Data, func(r rune) bool { return !IsBlank(r) }) >= 0
	case html.ElementNode:
		return media[n.DataAtom] && n.DataAtom != atom.Hr
	}
	return false
}

// visible counts a content leaf's characters: non-blank runes of text, one
// for a media element.
func visible(n *html.Node) int {
	if n.Type != html.TextNode {
		return 1
	}
	k := 0
	for _, r := range n.Data {
		if !IsBlank(r) {
			k++
		}
	}
	return k
}

func isLink(n *html.Node) bool {
	if n.Type != html.ElementNode || n.DataAtom != atom.A {
		return false
	}
	v, ok := attrOK(n, "href")
	return ok && strings.TrimSpace(v) != ""
}

// size is how many visible characters a node holds, and how many of them
// sit in links.
type size struct{ chars, linked int }

// measureAll sizes every node below root in one pass.
func measureAll(root *html.Node) map[*html.Node]size {
	sizes := map[*html.Node]size{}
	var count func(n *html.Node, link bool) size
	count = func(n *html.Node, link bool) size {
		link = link || isLink(n)
		var s size
		if isContent(n) {
			s.chars = visible(n)
			if link {
				s.linked = s.chars
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			cs := count(c, link)
			s.chars += cs.chars
			s.linked += cs.linked
		}
		if n.Type == html.ElementNode {
			sizes[n] = s
		}
		return s
	}
	count(root, false) // the parser caps depth at 512: recursion is safe
	return sizes
}

// layout is the article as a reader scans it: a sequence of blocks, each a
// run of inline content between block boundaries that shows text or media.
// A paragraph is one block; a list item is one; text beside a nested
// paragraph in a <div> is a block of its own.
type layout struct {
	block  map[*html.Node]int // each content leaf's block
	blocks []blockStat
}

type blockStat struct {
	chars, linked int
	text          bool // holds text, not only media
}

func newLayout(root *html.Node) *layout {
	l := &layout{block: map[*html.Node]int{}}
	open := false // the current block has content
	links := 0    // links around the current node
	enter := func(n *html.Node) {
		switch {
		case IsBlock(n):
			open = false
		case isLink(n):
			links++
		case isContent(n):
			if !open {
				l.blocks = append(l.blocks, blockStat{})
				open = true
			}
			i := len(l.blocks) - 1
			l.block[n] = i
			l.blocks[i].text = l.blocks[i].text || n.Type == html.TextNode
			k := visible(n)
			l.blocks[i].chars += k
			if links > 0 {
				l.blocks[i].linked += k
			}
		}
	}
	exit := func(n *html.Node) {
		switch {
		case IsBlock(n):
			open = false
		case isLink(n):
			links--
		}
	}
	// Iterative, so that very deep documents cannot exhaust the stack.
	for n := root.FirstChild; n != nil; {
		enter(n)
		if n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for {
			exit(n)
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
			if n == root {
				n = nil
				break
			}
		}
	}
	return l
}

// span returns the first and last block that n's content falls in.
func (l *layout) span(n *html.Node) (first, last int, ok bool) {
	if i, in := l.block[n]; in {
		return i, i, true
	}
	first = -1
	walk(n, func(c *html.Node) {
		if i, in := l.block[c]; in {
			if first < 0 {
				first = i
			}
			last = i
		}
	})
	return first, last, first >= 0
}

// top returns the root of the tree n is in.
func top(n *html.Node) *html.Node {
	for n.Parent != nil {
		n = n.Parent
	}
	return n
}
