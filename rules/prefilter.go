package rules

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pattern is a compiled regexp with its prefilter: a cheap test, run
// first, that is false only for strings the regexp cannot match. Every text
// test of the engine goes through one.
type pattern struct {
	*regex
	lits   []string     // one of these is in every match
	folded []string     // one of these is in every match's fold (see fold)
	ranges []rune       // a rune of these ranges is in every match
	grams  [][]pairTest // the sketch tests of lits and folded; nil for none
}

func newPattern(re *regex) *pattern {
	p := &pattern{regex: re}
	t := re.tree.Simplify()
	re.tree = nil
	if lits := requiredLiterals(t); lits != nil {
		for _, l := range lits {
			f, folded := strings.CutPrefix(l, "\x00")
			if folded {
				p.folded = append(p.folded, f)
			} else {
				p.lits = append(p.lits, l)
			}
			p.grams = append(p.grams, grams(f))
		}
		return p
	}
	p.ranges = requiredClass(t)
	return p
}

// filters reports whether the pattern has a prefilter at all.
func (p *pattern) filters() bool {
	return p.lits != nil || p.folded != nil || p.ranges != nil
}

func (p *pattern) MatchString(s string) bool {
	return p.possible(s, nil) && p.regex.MatchString(s)
}

// mayOccur reports whether a text the sketch records may hold a match.
func (p *pattern) mayOccur(s *sketch) bool {
	if p.grams == nil {
		return true
	}
	for _, g := range p.grams {
		if s.holds(g) {
			return true
		}
	}
	return false
}

// possible is the prefilter: running a regexp on every text node of every
// post is a large share of cleaning, and most hold nothing a rule looks
// for. folded, when not nil, caches the fold of s across patterns.
func (p *pattern) possible(s string, folded *string) bool {
	switch {
	case p.lits != nil || p.folded != nil:
		for _, l := range p.lits {
			if strings.Contains(s, l) {
				return true
			}
		}
		if p.folded == nil {
			return false
		}
		if folded == nil && len(s) <= 256 && isASCII(s) {
			// The common case of an attribute value or short text: no
			// fold to build, as an ASCII string's is its upper case. (On
			// long texts the byte loop is slower than a fold and a search.)
			for _, l := range p.folded {
				if containsUpperASCII(s, l) {
					return true
				}
			}
			return false
		}
		var f string
		if folded != nil && *folded != "" {
			f = *folded
		} else {
			f = fold(s)
			if folded != nil {
				*folded = f
			}
		}
		for _, l := range p.folded {
			if strings.Contains(f, l) {
				return true
			}
		}
		return false
	case p.ranges != nil:
		return strings.IndexFunc(s, func(r rune) bool { return inRanges(r, p.ranges) }) >= 0
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsUpperASCII reports whether the ASCII string s, upper-cased,
// contains the folded literal l; never when l is not ASCII, as no byte of
// s equals a non-ASCII one.
func containsUpperASCII(s, l string) bool {
	for i := 0; i+len(l) <= len(s); i++ {
		j := 0
		for j < len(l) {
			c := s[i+j]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			if c != l[j] {
				break
			}
			j++
		}
		if j == len(l) {
			return true
		}
	}
	return false
}

// requiredLiterals returns strings one of which every match of t contains,
// or nil. A case-insensitive literal is returned case-folded (see fold),
// marked by a leading NUL.
func requiredLiterals(t *syntax.Regexp) []string {
	return required(t, literal, joined, sharper)
}

// literal returns the literal of a literal node, case-folded and marked
// when it is case-insensitive; nil for any other node, and for a literal
// that could not be looked for as it stands.
func literal(t *syntax.Regexp) []string {
	switch {
	case t.Op != syntax.OpLiteral:
		return nil
	case t.Flags&syntax.FoldCase != 0:
		return []string{"\x00" + fold(string(t.Rune))}
	case t.Rune[0] == 0 || slices.Contains(t.Rune, utf8.RuneError):
		// A NUL would read as the fold mark; and the regexp matches
		// U+FFFD on invalid bytes, which strings.Contains does not.
		return nil
	}
	return []string{string(t.Rune)}
}

// joined returns, for a literal a followed in a sequence by b, the literal
// joined to each string every match of b starts with ("=" and "http" in
// "=(https?|ftp)" make "=http" and "=ftp"); nil when there are none, or
// too many to look for. A joined literal is case-folded and marked when
// either side is case-insensitive: a text holds it in its fold.
func joined(a, b *syntax.Regexp) []string {
	la, lb := literal(a), prefixes(b)
	if la == nil || lb == nil || len(lb) > 32 {
		return nil
	}
	head, foldedHead := strings.CutPrefix(la[0], "\x00")
	out := make([]string, len(lb))
	for i, l := range lb {
		tail, foldedTail := strings.CutPrefix(l, "\x00")
		if foldedHead || foldedTail {
			out[i] = "\x00" + fold(head) + fold(tail)
		} else {
			out[i] = head + tail
		}
	}
	return out
}

// prefixes returns literals, marked as literal marks them, one of which
// every match of t starts with; nil when there are none.
func prefixes(t *syntax.Regexp) []string {
	if l := literal(t); l != nil {
		return l
	}
	switch t.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return prefixes(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return prefixes(t.Sub[0])
		}
	case syntax.OpConcat:
		return prefixes(t.Sub[0]) // nil when it can match nothing, or be empty
	case syntax.OpAlternate:
		var all []string
		for _, sub := range t.Sub {
			l := prefixes(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

// sharper reports whether the literal set a rules out more texts than b:
// its shortest literal is longer ("COUNT" before "S"), or, as long, it has
// fewer literals to look for.
func sharper(a, b []string) bool {
	shortest := func(l []string) int {
		m := -1
		for _, s := range l {
			n := len(strings.TrimPrefix(s, "\x00"))
			if m < 0 || n < m {
				m = n
			}
		}
		return m
	}
	if sa, sb := shortest(a), shortest(b); sa != sb {
		return sa > sb
	}
	return len(a) < len(b)
}

// requiredClass returns the ranges of a character class that every match
// of t must contain a rune of, or nil.
func requiredClass(t *syntax.Regexp) []rune {
	return required(t, func(t *syntax.Regexp) []rune {
		if t.Op == syntax.OpCharClass {
			return t.Rune
		}
		return nil
	}, nil, nil)
}

// required finds a part of every match of t that leaf recognises: through
// groups, repeats of at least one, a part of a sequence and, when better
// is set, one in each branch of an alternation (the branches' parts
// joined). Of a sequence's parts, and of what pair makes of two
// neighbours, it takes the first, or with better the one better prefers.
// Nil when there is none.
func required[T any](t *syntax.Regexp, leaf func(*syntax.Regexp) []T, pair func(a, b *syntax.Regexp) []T, better func(a, b []T) bool) []T {
	if l := leaf(t); l != nil {
		return l
	}
	switch t.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(t.Sub[0], leaf, pair, better)
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return required(t.Sub[0], leaf, pair, better)
		}
	case syntax.OpConcat:
		var best []T
		take := func(l []T) {
			if l != nil && (best == nil || better != nil && better(l, best)) {
				best = l
			}
		}
		for i, sub := range t.Sub {
			take(required(sub, leaf, pair, better))
			if best != nil && better == nil {
				return best
			}
			if pair != nil && i+1 < len(t.Sub) {
				take(pair(sub, t.Sub[i+1]))
			}
		}
		return best
	case syntax.OpAlternate:
		if better == nil {
			return nil
		}
		var all []T
		for _, sub := range t.Sub {
			l := required(sub, leaf, pair, better)
			if l == nil {
				return nil // one way to match needs none
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

func inRanges(r rune, ranges []rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if r < ranges[i] {
			return false // ranges are sorted
		}
		if r <= ranges[i+1] {
			return true
		}
	}
	return false
}

// fold maps every rune to the least rune that equals it under Unicode
// simple case folding, as (?i) matches: "K", "k" and the Kelvin sign all
// become "K".
func fold(s string) string { return strings.Map(foldRune, s) }

func foldRune(r rune) rune {
	switch {
	case r < 0x80: // the least of an ASCII letter's forms is its capital
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	case 0x3000 <= r && r < 0xA000: // CJK punctuation, kana, Han: no case
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}
