package rules

import (
	"github.com/andybalholm/cascadia"

	"reflect"
	"testing"
)

func TestSubjectTags(t *testing.T) {
	for src, want := range map[string][]string{
		`a[href*="x"], A[href*=".pvxt.net/"]`:  {"a"},
		`table:has(ins.adsbygoogle), div`:      {"div", "table"},
		`div p, ul > li.x, h1 + h2, h3 ~ h4`:   {"h2", "h4", "li", "p"},
		`pre span:matches(^\s*(a b|c>d)\s*$)`:  {"span"},
		`p[title="a > b"]`:                     {"p"},
		`font[color#=(?i)^\s*(#?[ef] )$], img`: {"font", "img"},
		`.copy-btn, pre button`:                nil,
		`#recommend_bottom`:                    nil,
		`*`:                                    nil,
		`div > *`:                              nil,
	} {
		got := subjectTags(mustGroup(t, src))
		var names []string
		for k := range got {
			names = append(names, k)
		}
		if got == nil {
			names = nil
		}
		sortStrings(names)
		if !reflect.DeepEqual(names, want) {
			t.Errorf("subjectTags(%q) = %v, want %v", src, names, want)
		}
	}
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

func TestOnlyTags(t *testing.T) {
	for src, want := range map[string]bool{
		"p": true, "p, div, h2": true, "custom-el, li": true,
		"p.x": false, "div p": false, "p:not(:has(img))": false, "*": false, "a[href]": false, "#id": false, "p, .x": false,
	} {
		if got := onlyTags(mustGroup(t, src)); got != want {
			t.Errorf("onlyTags(%q) = %v, want %v", src, got, want)
		}
	}
}

func mustGroup(t *testing.T, src string) cascadia.SelectorGroup {
	t.Helper()
	g, err := cascadia.ParseGroup(src)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
