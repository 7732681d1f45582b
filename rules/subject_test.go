package rules

import (
	"github.com/andybalholm/cascadia"

	"reflect"
	"testing"
)

func TestSubjects(t *testing.T) {
	for src, want := range map[string][]string{
		`a[href*="x"], A[href*=".pvxt.net/"]`:                     {"a"},
		`table:has(ins.adsbygoogle), div`:                         {"div", "table"},
		`div p, ul > li.x, h1 + h2, h3 ~ h4`:                      {"h2", "h4", "li", "p"},
		`pre span:matches(^\s*(a b|c>d)\s*$)`:                     {"span"},
		`p[title="a > b"]`:                                        {"p"},
		`font[color#=(?i)^\s*(#?[ef] )$], img`:                    {"font", "img"},
		`custom-el, p`:                                            {"custom-el", "p"},
		`.copy-btn, pre button`:                                   {"button", "[class]"},
		`#recommend_bottom`:                                       {"[id]"},
		`div > .a.b, [id^="x"]`:                                   {"[class]", "[id]"},
		`[class#=(?i)(^|[\s_-])share], [id]`:                      {"[class]", "[id]"},
		`[class="a b"], [id~=x], [id|=x], [class$=x], [class*=x]`: {"[class]", "[id]"},
		`*`:               nil,
		`div > *`:         nil,
		`.a, *`:           nil,
		`[class!=x]`:      nil,
		`[classic]`:       nil,
		`:not(.x)`:        nil,
		`*:has(.x)`:       nil,
		`.x > *`:          nil,
		`[data-id]`:       nil,
		`[title="a.b#c"]`: nil,
	} {
		got := subjects(mustGroup(t, src))
		var names []string
		if got != nil {
			for _, a := range got.atoms {
				names = append(names, a.String())
			}
			names = append(names, got.names...)
			if got.class {
				names = append(names, "[class]")
			}
			if got.id {
				names = append(names, "[id]")
			}
			sortStrings(names)
		}
		sortStrings(want)
		if !reflect.DeepEqual(names, want) {
			t.Errorf("subjects(%q) = %v, want %v", src, names, want)
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
