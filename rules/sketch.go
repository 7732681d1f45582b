package rules

import "golang.org/x/net/html"

// sketch records which pairs of adjacent runes occur in a document's text,
// case-folded (see fold), as bits of a fixed table: a literal none of whose
// occurrences could be in the text is ruled out by a few bit tests, where
// searching the text for each of a rule's literals costs a pass each. Every
// element's text, and every line's, is a run of the document's text, so a
// pattern ruled out for the document is ruled out for all of them, and a
// rule's walk over its candidates is spared. Pairs that hash alike only
// make the test pass where it need not: it never rules out a literal that
// occurs.
type sketch [sketchBits / 64]uint64

const sketchBits = 1 << 16

// gram is the bit of the pair a, b; a single rune is the pair (r, r), which
// a text sets for each of its runes besides the pairs it holds.
func gram(a, b rune) uint32 {
	return (uint32(a)*0x9E3779B1 ^ uint32(b)*0x85EBCA77) >> 16
}

func (s *sketch) set(g uint32)      { s[g/64] |= 1 << (g % 64) }
func (s *sketch) has(g uint32) bool { return s[g/64]&(1<<(g%64)) != 0 }

// read records the text of the nodes in document order, as one text.
func (s *sketch) read(nodes []*html.Node) {
	clear(s[:])
	prev := rune(-1)
	for _, n := range nodes {
		if n.Type != html.TextNode {
			continue
		}
		for _, r := range n.Data {
			r = foldRune(r)
			s.set(gram(r, r))
			if prev >= 0 {
				s.set(gram(prev, r))
			}
			prev = r
		}
	}
}

// grams returns the bits a text holding l sets, l folded.
func grams(l string) []uint32 {
	var out []uint32
	prev := rune(-1)
	for _, r := range l {
		r = foldRune(r)
		if prev < 0 {
			out = append(out, gram(r, r)) // found alone when l is one rune
		} else {
			out = append(out, gram(prev, r))
		}
		prev = r
	}
	return out
}

// holds reports whether every bit of g is set.
func (s *sketch) holds(g []uint32) bool {
	for _, b := range g {
		if !s.has(b) {
			return false
		}
	}
	return true
}
