package rules

import "golang.org/x/net/html"

// sketch records, case-folded (see fold), the pairs of adjacent runes in
// each text node of a document and the first and last rune of each, as bits
// of a fixed table: a literal none of whose occurrences could be in the
// text is ruled out by a few bit tests, where searching the text for each
// of a rule's literals costs a pass each. The text of an element, or of a
// line, is a run of text nodes, so a pair in it lies inside one node or
// joins the last rune of one node to the first of another: a pattern ruled
// out by the sketch matches no element's text, and a rule's walk over its
// candidates is spared. That stays true when nodes are removed or moved,
// whichever nodes that brings together, so the sketch is read again only
// after an action that changes text. Pairs that hash alike only make the
// test pass where it need not: it never rules out a literal that occurs.
type sketch [sketchBits / 64]uint64

const sketchBits = 1 << 16

// edge stands for the boundary of a text node in a pair.
const edge = -2

// gram is the bit of the pair a, b; a single rune is the pair (r, r), which
// a text sets for each of its runes besides the pairs it holds.
func gram(a, b rune) uint32 {
	return (uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77) >> 16
}

func (s *sketch) set(g uint32)      { s[g/64] |= 1 << (g % 64) }
func (s *sketch) has(g uint32) bool { return s[g/64]&(1<<(g%64)) != 0 }

// read records the text nodes among nodes.
func (s *sketch) read(nodes []*html.Node) {
	clear(s[:])
	for _, n := range nodes {
		if n.Type != html.TextNode || n.Data == "" {
			continue
		}
		prev := rune(edge)
		for _, r := range n.Data {
			r = foldRune(r)
			s.set(gram(r, r))
			s.set(gram(prev, r))
			prev = r
		}
		s.set(gram(prev, edge))
	}
}

// pairTest is one pair of a literal: found inside a node, or across the
// boundary of two.
type pairTest struct{ pair, last, first uint32 }

// grams returns the tests of l, folded: one per pair, or the rune alone
// when l is one rune.
func grams(l string) []pairTest {
	var out []pairTest
	prev := rune(edge)
	for _, r := range l {
		r = foldRune(r)
		if prev == edge {
			g := gram(r, r)
			out = append(out, pairTest{g, g, g})
		} else {
			out = append(out, pairTest{gram(prev, r), gram(prev, edge), gram(edge, r)})
		}
		prev = r
	}
	if len(out) > 1 {
		out = out[1:] // the first rune is in the first pair
	}
	return out
}

// holds reports whether every pair of a literal may be in the text.
func (s *sketch) holds(tests []pairTest) bool {
	for _, t := range tests {
		if !s.has(t.pair) && !(s.has(t.last) && s.has(t.first)) {
			return false
		}
	}
	return true
}
