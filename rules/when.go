package rules

import (
	"fmt"

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
}

func (c condition) holds(env Env) bool {
	for _, t := range c.fields {
		v, ok := env.Fields[t.field]
		if !ok || !t.test(v) {
			return false
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
		c.fields = append(c.fields, t)
	}
	return c, nil
}
