package rules

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// subjectTags returns the element names a selector group can match, or nil
// when it can match any element. Matching a rule against every node of a
// post is most of the rule engine's time; most rules name their element
// ("a[href*=...]", "p.end"), and a map lookup rules out the rest before the
// selector runs.
func subjectTags(group cascadia.SelectorGroup) map[string]bool {
	if len(group) == 0 {
		return nil
	}
	tags := map[string]bool{}
	for _, sel := range group {
		tag := subjectTag(sel.String())
		if tag == "" {
			return nil
		}
		tags[tag] = true
	}
	return tags
}

// onlyTags reports a selector group of bare tag names ("p, div, li"),
// which a tag set matches exactly as the selector would.
func onlyTags(group cascadia.SelectorGroup) bool {
	if len(group) == 0 {
		return false
	}
	for _, sel := range group {
		s := sel.String()
		if s == "" || subjectTag(s) != s {
			return false
		}
	}
	return true
}

// tagSet is a set of element names, checked by atom (one integer compare
// each) where names have one, else by name.
type tagSet struct {
	atoms []atom.Atom
	names []string // names without an atom
}

func newTagSet(tags map[string]bool) *tagSet {
	if tags == nil {
		return nil
	}
	t := &tagSet{}
	for name := range tags {
		if a := atom.Lookup([]byte(name)); a != 0 {
			t.atoms = append(t.atoms, a)
		} else {
			t.names = append(t.names, name)
		}
	}
	return t
}

func (t *tagSet) has(n *html.Node) bool {
	if n.DataAtom != 0 {
		for _, a := range t.atoms {
			if a == n.DataAtom {
				return true
			}
		}
		return false
	}
	for _, name := range t.names {
		if name == n.Data {
			return true
		}
	}
	return false
}

// subjectTag reads the element name of the last compound selector (the one
// the selector matches) in cascadia's serialised form, or "" for any.
func subjectTag(s string) string {
	depth, start := 0, 0
	var quote rune
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '[' || r == '(':
			depth++
		case r == ']' || r == ')':
			depth--
		case depth == 0 && (r == ' ' || r == '>' || r == '+' || r == '~'):
			start = i + 1
		}
	}
	compound := s[start:]
	end := strings.IndexFunc(compound, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	})
	if end < 0 {
		end = len(compound)
	}
	return strings.ToLower(compound[:end])
}
