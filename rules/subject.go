package rules

import (
	"regexp"
	"strings"
	"unicode/utf8"

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

// scan calls f for each rune of a selector outside quotes and regexps
// (of #= tests and :matches()), with its depth in brackets and parentheses
// (a bracket or parenthesis itself is at the outer depth). It reads
// cascadia's printed form, which it can trust only for a selector whose
// source is readable (see readable).
func scan(s string, f func(i int, r rune, depth int)) {
	depth := 0
	var quote rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if quote == 0 {
			if start, ok := regexStart(s, i); ok {
				for j := i; j < start; j++ { // the operator or ":matches("
					if s[j] == '(' {
						f(j, '(', depth)
						depth++
					} else {
						f(j, rune(s[j]), depth)
					}
				}
				i = start + regexEnd(s[start:]) // to the "]" or ")" that ends it
				continue
			}
		}
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
		i += size
	}
}

// regexStart reports whether a regexp operand starts after s[i:]: "#=" or
// ":matches(" (":matchesOwn("), and where, past any white space (which
// cascadia skips there and does not print).
func regexStart(s string, i int) (int, bool) {
	j := i
	switch {
	case strings.HasPrefix(s[i:], "#="):
		j += 2
	case s[i] == ':':
		name := strings.ToLower(s[i+1 : min(len(s), i+12)])
		switch {
		case strings.HasPrefix(name, "matchesown("):
			j += len(":matchesown(")
		case strings.HasPrefix(name, "matches("):
			j += len(":matches(")
		default:
			return 0, false
		}
	default:
		return 0, false
	}
	for j < len(s) && strings.IndexByte(" \t\r\n\f", s[j]) >= 0 {
		j++
	}
	return j, true
}

// readable reports whether the selector source src says nothing that
// cascadia prints in a form scan would misread. Outside regexps, it has no
// backslash (an escaped name is printed raw: `.x\( a` as `.x( a`) and no
// quoted value that holds a quote or a backslash (a value is printed raw
// between double quotes: `[title="a\"] [href#=x"]` as
// `[title="a"] [href#=x"]`). A selector that is not readable still works,
// but runs on every element, without the index or the attribute filter.
func readable(src string) bool {
	if strings.Contains(src, "/*") {
		return false // cascadia skips comments where this reader would not
	}
	for i := 0; i < len(src); i++ {
		if start, ok := regexStart(src, i); ok {
			i = start + regexEnd(src[start:]) - 1
			continue
		}
		switch c := src[i]; c {
		case '\\':
			return false
		case '"', '\'':
			end := strings.IndexAny(src[i+1:], "\"'\\")
			if end < 0 || src[i+1+end] != c {
				return false
			}
			i += end + 1
		}
	}
	return true
}

// compoundTag returns the element name of a compound selector, or "" for
// any. A name runs as cascadia reads one (letters, digits, "-", "_" and
// every non-ASCII character), already lower-cased by cascadia as the HTML
// tokenizer lower-cases element names: ASCII letters only.
func compoundTag(compound string) string {
	end := strings.IndexFunc(compound, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r >= utf8.RuneSelf)
	})
	if end < 0 {
		end = len(compound)
	}
	return compound[:end]
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

// attrFilter is a test every element a selector group can match passes,
// when each of its selectors is one attribute regexp test, maybe on a
// named element ("[class#=(?i)share]", "a[href#=/go/]"): the value of one
// of those attributes may hold a match of the selector's regexp, as the
// pattern prefilter judges. Cascadia runs its regexps on every element
// with the attribute; the filter spares it most of them.
type attrFilter []attrTest

type attrTest struct {
	key string
	re  *pattern
}

// attrRegexTest is one attribute regexp test as cascadia prints it, what
// follows the element name in a compound selector of the filter's shape.
var attrRegexTest = regexp.MustCompile(`^\[([a-z][a-z0-9_-]*)#=(.+)\]$`)

// newAttrFilter returns the filter of group, or nil when one of its
// selectors has another shape.
func newAttrFilter(group cascadia.SelectorGroup) attrFilter {
	var f attrFilter
	for _, sel := range group {
		compound := subjectCompound(sel.String())
		m := attrRegexTest.FindStringSubmatch(compound[len(compoundTag(compound)):])
		if m == nil || regexEnd(m[2]) != len(m[2]) {
			return nil // the regexp would end before the last "]"
		}
		re, err := newRegex(m[2])
		if err != nil {
			return nil
		}
		p := newPattern(re)
		if !p.filters() {
			return nil
		}
		f = append(f, attrTest{key: m[1], re: p})
	}
	return f
}

// regexEnd returns where cascadia ends a regexp that starts s: at the first
// ")" or "]" that closes more than s has opened; len(s) when none does.
func regexEnd(s string) int {
	open := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			open++
		case ')', ']':
			if open--; open < 0 {
				return i
			}
		}
	}
	return len(s)
}

// admits reports whether n may match: whether one of the tested
// attributes (under any namespace, as cascadia reads them) may hold a
// match.
func (f attrFilter) admits(n *html.Node) bool {
	for _, t := range f {
		for _, a := range n.Attr {
			if a.Key == t.key && t.re.possible(a.Val, nil) {
				return true
			}
		}
	}
	return false
}
