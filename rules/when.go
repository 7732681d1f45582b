package rules

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// condition is a rule's when: block. Every test in it must hold; the zero
// condition always holds.
type condition struct {
	fields []fieldTest
	body   *regex
	path   *regex
}

// fieldTest checks one front matter field: its value (any element, when it is
// a list) matches a regexp, or the list has an exact member.
type fieldTest struct {
	field   string
	matches *regex
	has     *string
	needs   [][]string // see mayHold; nil when it cannot tell
}

func (c condition) holds(env Env) bool {
	if len(c.fields) > 0 {
		if env.FrontMatter != nil && plainMatter(env.FrontMatter) {
			for _, t := range c.fields {
				if !t.mayHold(env.FrontMatter) {
					return false
				}
			}
		}
		var fields map[string]any
		if env.Fields != nil {
			fields = env.Fields()
		}
		for _, t := range c.fields {
			v, ok := fields[t.field]
			if !ok || !t.test(v) {
				return false
			}
		}
	}
	if c.body != nil && !c.body.Match(env.Body) {
		return false
	}
	if c.path != nil && !c.path.MatchString(env.Path) {
		return false
	}
	return true
}

func (t fieldTest) test(v any) bool {
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if t.test(e) {
				return true
			}
		}
		return false
	}
	if v == nil {
		return false
	}
	s := fmt.Sprint(v)
	if t.has != nil && s != *t.has {
		return false
	}
	if t.matches != nil && !t.matches.MatchString(s) {
		return false
	}
	return true
}

// parseWhen reads
//
//	when:
//	  front-matter:
//	    author: '^Some Site$'          # regexp on the value
//	    categories: {has: News}        # exact member of a list (or equal value)
//	  body: 'adsbygoogle'              # regexp on the raw body
//	  path: '^content/news/'           # regexp on the file path
func parseWhen(v *yaml.Node) (condition, error) {
	var c condition
	a := &args{node: v, key: "when"}
	fm := a.get("front-matter", false)
	c.body, c.path = a.regexp("body", false), a.regexp("path", false)
	if err := a.finish(); err != nil {
		return c, err
	}
	if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
		return c, errAt(v, "when: want front-matter:, body: or path:")
	}
	if fm == nil {
		return c, nil
	}
	if fm.Kind != yaml.MappingNode || len(fm.Content) == 0 {
		return c, errAt(fm, "front-matter: want a mapping of field names to tests")
	}
	for i := 0; i < len(fm.Content); i += 2 {
		k, tv := fm.Content[i], fm.Content[i+1]
		t := fieldTest{field: k.Value}
		if tv.Kind == yaml.ScalarNode {
			var err error
			if t.matches, err = compileRegexp(tv); err != nil {
				return c, err
			}
		} else {
			ta := &args{node: tv, key: k.Value}
			t.matches = ta.regexp("matches", false)
			if hv := ta.get("has", false); hv != nil {
				s, err := scalar(hv)
				ta.fail(err)
				t.has = &s
			}
			if err := ta.finish(); err != nil {
				return c, err
			}
			if t.matches == nil && t.has == nil {
				return c, errAt(tv, "%s: want a regexp, {matches: REGEXP} or {has: VALUE}", k.Value)
			}
		}
		t.needs = needs(t)
		c.fields = append(c.fields, t)
	}
	return c, nil
}

// A field test runs on a value as the front matter parser made it and
// fmt.Sprint wrote it. Most posts meet no rule whose condition holds for
// them, and parsing their front matter was a good share of cleaning, so a
// test first looks in the front matter as written for the text a passing
// value must hold. That text is there when the front matter is plain (valid
// UTF-8, no backslash escape, no "!" tag), save for what a parser or
// fmt.Sprint writes itself: line folding and quote doubling (whitespace and
// "'"), and the digits, signs, brackets and words of numbers, dates,
// booleans, nulls, lists and maps ("1e+06", "+Inf", "2024-01-02 00:00:00
// +0000 UTC", "<nil>", "map[k:v]"). So the test looks for the runs of the
// needed text between such characters, each of which must be in the front
// matter as written.

// plainMatter reports front matter whose string values are as written.
func plainMatter(raw []byte) bool {
	return utf8.Valid(raw) && bytes.IndexByte(raw, '\\') < 0 && bytes.IndexByte(raw, '!') < 0
}

// mayHold reports whether t may pass on plain front matter written as raw.
func (t fieldTest) mayHold(raw []byte) bool {
	if t.needs == nil {
		return true
	}
	for _, alt := range t.needs {
		all := true
		for _, run := range alt {
			if !bytes.Contains(raw, []byte(run)) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// needs returns the texts a value passing t holds, as alternatives of runs
// that must all be in the front matter; nil when t needs none it can name.
func needs(t fieldTest) [][]string {
	var out [][]string
	if t.has != nil {
		if r := runs(*t.has); r != nil {
			out = [][]string{r} // with a regexp too, the value must be this
			return out
		}
	}
	if t.matches == nil {
		return nil
	}
	p := newPattern(t.matches)
	if p.folded != nil || len(p.lits) == 0 {
		return nil
	}
	for _, l := range p.lits {
		r := runs(l)
		if r == nil {
			return nil // one literal a parser can write itself: no telling
		}
		out = append(out, r)
	}
	return out
}

// runs splits s at the characters a parser or fmt.Sprint may write itself;
// nil when nothing is left.
func runs(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r < utf8.RuneSelf && strings.IndexByte(written, byte(r)) >= 0
	})
	if len(f) == 0 {
		return nil
	}
	return f
}

// written holds the characters of numbers, dates, booleans, nulls, lists
// and maps as fmt.Sprint writes them, and the quote YAML doubles.
const written = "0123456789+-.:[]<>'" + "mapniltruefsUTCINZe"
