package rules

import (
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// subjects returns where the elements a selector group can match are
// found, or nil when it can match any element. Matching a rule against every
// node of a post is most of the rule engine's time; most rules name their
// element ("a[href*=...]", "p.end") or a class or id it must carry
// (".copy-btn", "[class#=share]"), and the document index lists those, so
// the selector runs on them alone.
func subjects(group cascadia.SelectorGroup) *tagSet {
	if len(group) == 0 {
		return nil
	}
	t := &tagSet{}
	seen := map[string]bool{}
	for _, sel := range group {
		compound := subjectCompound(sel.String())
		tag := compoundTag(compound)
		switch {
		case tag != "":
			if seen[tag] {
				continue
			}
			seen[tag] = true
			if a := atom.Lookup([]byte(tag)); a != 0 {
				t.atoms = append(t.atoms, a)
			} else {
				t.names = append(t.names, tag)
			}
		case requires(compound, "class"):
			t.class = true
		case requires(compound, "id"):
			t.id = true
		default:
			return nil
		}
	}
	return t
}

// onlyTags reports a selector group of bare tag names ("p, div, li"),
// which a tag set matches exactly as the selector would.
func onlyTags(group cascadia.SelectorGroup) bool {
	if len(group) == 0 {
		return false
	}
	for _, sel := range group {
		s := sel.String()
		if s == "" || compoundTag(subjectCompound(s)) != s {
			return false
		}
	}
	return true
}

// tagSet is a set of element names, checked by atom (one integer compare
// each) where names have one, else by name.
type tagSet struct {
	atoms     []atom.Atom
	names     []string // names without an atom
	class, id bool     // or any element with a class (an id) attribute
}

func (t *tagSet) has(n *html.Node) bool {
	if n.DataAtom != 0 {
		for _, a := range t.atoms {
			if a == n.DataAtom {
				return true
			}
		}
	} else {
		for _, name := range t.names {
			if name == n.Data {
				return true
			}
		}
	}
	return t.class && hasAttr(n, "class") || t.id && hasAttr(n, "id")
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// subjectCompound returns the last compound selector (the one the selector
// matches) of cascadia's serialised form of a selector.
func subjectCompound(s string) string {
	start := 0
	scan(s, func(i int, r rune, depth int) {
		if depth == 0 && (r == ' ' || r == '>' || r == '+' || r == '~') {
			start = i + 1
		}
	})
	return s[start:]
}

// scan calls f for each rune of a selector outside quotes, with its depth
// in brackets and parentheses (a bracket or parenthesis itself is at the
// outer depth).
func scan(s string, f func(i int, r rune, depth int)) {
	depth := 0
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
			f(i, r, depth)
			depth++
		case r == ']' || r == ')':
			depth--
			f(i, r, depth)
		default:
			f(i, r, depth)
		}
	}
}

// compoundTag returns the element name of a compound selector, or "" for
// any.
func compoundTag(compound string) string {
	end := strings.IndexFunc(compound, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
	})
	if end < 0 {
		end = len(compound)
	}
	return strings.ToLower(compound[:end])
}

// requires reports a compound selector that only an element with attribute
// key can match: ".x" for class, "#x" for id, or an attribute test on key
// that an element without it fails (any but "!="). Tests inside :not() and
// other pseudo-classes do not count.
func requires(compound, key string) bool {
	found := false
	scan(compound, func(i int, r rune, depth int) {
		if depth != 0 {
			return
		}
		switch {
		case r == '.' && key == "class", r == '#' && key == "id":
			found = true
		case r == '[':
			rest, ok := strings.CutPrefix(compound[i+1:], key)
			if ok && rest != "" && strings.IndexByte("]=~|^$*#", rest[0]) >= 0 {
				found = true
			}
		}
	})
	return found
}
