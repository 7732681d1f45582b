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

// measures reports tests that need the element's size.
func (f *placeFilter) measures() bool {
	return f.maxLength != nil || f.minDensity != nil || f.maxDensity != nil
}

// cheap runs the tests that look only inside the element, given its size.
func (f *placeFilter) cheap(s size) bool {
	if !f.measures() {
		return true
	}
	chars, linked := s.chars, s.linked
	if f.maxLength != nil && int(chars) > *f.maxLength {
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
func (f *placeFilter) placed(i int32, l *layout) bool {
	first, last, ok := l.span(i)
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
	return int(l.texts[to] - l.texts[from])
}

func density(chars, linked int32) float64 {
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
type size struct{ chars, linked int32 }

// layout is the article as a reader scans it: a sequence of blocks, each a
// run of inline content between block boundaries that shows text or media.
// A paragraph is one block; a list item is one; text beside a nested
// paragraph in a <div> is a block of its own.
type layout struct {
	blocks      []blockStat
	texts       []int32 // texts[b]: how many of the blocks before b hold text
	first, last []int32 // the first and last block of each node's content; -1 for none
}

type blockStat struct {
	chars, linked int32
	text          bool // holds text, not only media
}

func newLayout(d *doc) *layout {
	l := &layout{first: make([]int32, len(d.all)), last: make([]int32, len(d.all))}
	open := false // the current block has content
	d.walk(func(i, _ int32) {
		n := d.all[i]
		l.first[i], l.last[i] = -1, -1
		k := d.own(i)
		switch {
		case IsBlock(n):
			open = false
		case k > 0:
			if !open {
				l.blocks = append(l.blocks, blockStat{})
				open = true
			}
			b := len(l.blocks) - 1
			l.first[i], l.last[i] = int32(b), int32(b)
			l.blocks[b].text = l.blocks[b].text || n.Type == html.TextNode
			l.blocks[b].chars += k
			if d.inLink[i] {
				l.blocks[b].linked += k
			}
		}
	}, func(i, parent int32) {
		if IsBlock(d.all[i]) {
			open = false
		}
		// A node's content spans from its first leaf's block to its last.
		if parent < 0 || l.first[i] < 0 {
			return
		}
		if l.first[parent] < 0 || l.first[i] < l.first[parent] {
			l.first[parent] = l.first[i]
		}
		l.last[parent] = max(l.last[parent], l.last[i])
	})
	l.texts = make([]int32, len(l.blocks)+1)
	for b, st := range l.blocks {
		l.texts[b+1] = l.texts[b]
		if st.text {
			l.texts[b+1]++
		}
	}
	return l
}

// span returns the first and last block that the content of the node at
// i falls in.
func (l *layout) span(i int32) (first, last int, ok bool) {
	return int(l.first[i]), int(l.last[i]), l.first[i] >= 0
}
