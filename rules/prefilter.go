package rules

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// prefilter returns a cheap test that is false only for strings re cannot
// match, or nil when there is none. Running a regexp on every text node of
// every post is a large share of cleaning; most text nodes hold nothing a
// rule looks for, and a literal or a character class says so much faster.
func prefilter(re *regexp.Regexp) func(string) bool {
	if lit, _ := re.LiteralPrefix(); lit != "" {
		return func(s string) bool { return strings.Contains(s, lit) }
	}
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	ranges := requiredClass(t.Simplify())
	if ranges == nil {
		return nil
	}
	return func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return inRanges(r, ranges) }) >= 0
	}
}

// requiredClass returns the ranges of a character class that every match
// of t must contain a rune of, or nil.
func requiredClass(t *syntax.Regexp) []rune {
	switch t.Op {
	case syntax.OpCharClass:
		return t.Rune
	case syntax.OpCapture, syntax.OpPlus:
		return requiredClass(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return requiredClass(t.Sub[0])
		}
	case syntax.OpConcat:
		for _, sub := range t.Sub {
			if r := requiredClass(sub); r != nil {
				return r
			}
		}
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
