package rules

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"gopkg.in/yaml.v3"
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

// TestAttrFilterNeverHidesAMatch runs every default selector that has an
// attribute filter, and some of other shapes, on elements with attribute
// values that match and that do not: the filter must admit every element
// the selector matches, and still turn some away.
func TestAttrFilterNeverHidesAMatch(t *testing.T) {
	values := []string{"", "share", "post share", "bd_share_wrap", "bdsharebuttonbox", "Share-Buttons", "SOCIAL-SHARE x",
		"sharethis-inline", "ssba-wrap", "sharp", "like-count", "comment_num", "VIEWS-TOTAL", "hljs-comment", "hljs-keyword",
		"/go?url=https://x.example", "/link.php?target=aHR0cHM6Ly8", "/out/https%3A%2F%2Fx", "https://example.com/a",
		"end_article.png", "THE-END.GIF", "/img/the_end_logo.webp", "photo.jpg", "分享", "ſhare", "\u212aike-count", "#f8f8f8"}
	var sels []string
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	filtered := 0
	for _, r := range set.Rules() {
		if et, ok := r.target.(*elementTarget); ok && et.attrs != nil {
			filtered++
		}
	}
	if filtered < 4 {
		t.Fatalf("%d default rules have an attribute filter", filtered)
	}
	sels = append(sels, `[class#=(?i)(^|[\s_-])(share|shares|social-share|ssba\w*)([\s_-]|$)]`, `a[href#=(?i)/(go|out)/?\?url=https?]`,
		`[id#=^x(a|b)$], img[src#=(?i)end]`, `[title#=(?i)\bk]`)
	for _, r := range set.Rules() {
		if et, ok := r.target.(*elementTarget); ok && et.attrs != nil {
			sels = append(sels, r.Name)
		}
	}
	byName := map[string]*Rule{}
	for _, r := range set.Rules() {
		byName[r.Name] = r
	}
	for _, s := range sels {
		var target *elementTarget
		if r := byName[s]; r != nil {
			target = r.target.(*elementTarget)
		} else {
			group, err := cascadia.ParseGroup(s)
			if err != nil {
				t.Fatal(err)
			}
			target = &elementTarget{sel: cascadia.Selector(group.Match), attrs: newAttrFilter(group)}
			if target.attrs == nil {
				t.Fatalf("%s: no attribute filter", s)
			}
		}
		turned := 0
		for _, tag := range []string{"a", "img", "div", "span"} {
			for _, key := range []string{"class", "id", "href", "src", "title"} {
				for _, v := range values {
					n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag)), Attr: []html.Attribute{{Key: key, Val: v}}}
					admitted := target.attrs.admits(n)
					if target.sel.Match(n) && !admitted {
						t.Errorf("%s: the filter turns away <%s %s=%q>, which matches", s, tag, key, v)
					}
					if !admitted {
						turned++
					}
				}
			}
		}
		if turned == 0 {
			t.Errorf("%s: the filter admits every element", s)
		}
	}
}

// TestAttrFilterShapes checks which selector groups get a filter: only
// those whose every selector is one attribute regexp test, maybe on a
// named element, after any combinator.
func TestAttrFilterShapes(t *testing.T) {
	for sel, want := range map[string]bool{
		`[class#=share]`:               true,
		`a[href#=/go/], img[src#=end]`: true,
		`div > a[href#=(?i)go[xy]z]`:   true,
		`a[href#=go][title]`:           false, // two tests
		`a[href#=go], p`:               false, // one selector has none
		`a[href*=go]`:                  false,
		`a[href#=go]:has(img)`:         false,
		`[class#=.*]`:                  false, // no prefilter: matches anything
		`a:not([href#=go])`:            false,
		`[data-x#=(?i)(a|b)[-_]count]`: true,
	} {
		group, err := cascadia.ParseGroup(sel)
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		if got := newAttrFilter(group) != nil; got != want {
			t.Errorf("%s: filter %v, want %v", sel, got, want)
		}
	}
}

// TestSelectorsCascadiaPrintsOddly runs selectors whose printed form would
// mislead a reader of it (a quote in a regexp, an escaped name, a quoted
// value holding selector syntax): each must remove what cascadia matches.
func TestSelectorsCascadiaPrintsOddly(t *testing.T) {
	for _, c := range []struct{ sel, body string }{
		{`div[title#=don't] span`, `<div title="don't"><span>x</span></div>`},
		{`"[title=\"a\\\"] [href#=x\"]"`, `<span title='a"] [href#=x'>x</span>`},
		{`"p[title='5\"'] a"`, `<p title='5"'><a>x</a></p>`},
		{`"div.x\\( a"`, `<div class="x("><a>x</a></div>`},
		{`"[title='a b'] a, [id#=(z)] i"`, `<p title="a b"><a>x</a></p>`},
		{`my_widget`, `<p>keep</p><my_widget>x</my_widget>`},
		{`div > ad_box`, `<div><ad_box>x</ad_box></div>`},
		{`pé`, `<p>keep</p><pé>x</pé>`},
		{`a_b.share`, `<a_b class="share">x</a_b>`},
		{`"PÉ"`, `<PÉ>x</PÉ>`},
	} {
		out, hits := apply(t, "select: "+c.sel+"\naction: remove", c.body, Env{})
		if hits != 1 || strings.Contains(out, ">x<") {
			t.Errorf("select %s on %s: %d hits, left %s", c.sel, c.body, hits, out)
		}
	}
}

// TestDefaultSelectorsReadable checks that every selector of the default
// rules is one the index and the attribute filter can read (see readable):
// an unreadable one still works, but runs on every element.
func TestDefaultSelectorsReadable(t *testing.T) {
	var walk func(n *yaml.Node, file string)
	walk = func(n *yaml.Node, file string) {
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if k, v := n.Content[i], n.Content[i+1]; k.Value == "select" && !readable(v.Value) {
				t.Errorf("%s:%d: selector %q is not readable", file, v.Line, v.Value)
			}
		}
		for _, c := range n.Content {
			walk(c, file)
		}
	}
	for _, f := range embeddedFiles {
		walk(f.tree, f.name)
	}
}

func TestReadable(t *testing.T) {
	for src, want := range map[string]bool{
		`a[href*="example.com/share?u="] img`:    true,
		`img[alt*="二维码"], img[alt*="QR code" i]`: true,
		`div[title#=don't] a`:                    true, // the quote is the regexp's
		`p:matches(^\s*"x") a`:                   true,
		`[class#=(?i)(^|[\s_-])share]`:           true,
		`.x\( a`:                                 false,
		`[title="a\"] [href#=x"]`:                false,
		`p[title='5"'] a`:                        false,
		`p[title="unclosed] a`:                   false,
		`a /* comment */ b`:                      false,
	} {
		if got := readable(src); got != want {
			t.Errorf("readable(%q) = %v, want %v", src, got, want)
		}
	}
}

// fuzzDoc holds elements of many names, classes, ids and attributes, some
// with quotes, brackets and regexp-like text in their values.
const fuzzDoc = `<div id="share-box" class="post share"><p class="like-count">12</p>
<a href="/go?url=https://x.example" title='a"] [href#=x'>go</a><span class="x(">s</span>
<img src="/img/the_end.png" alt="QR code"><p title="don't"><a href="https://example.com/share?u=1">t</a></p>
<font color="#F8F8F8">w</font><span style="color:#fff">h</span><ul><li class="hljs-comment">c</li></ul>
<section data-x="a b"><b class="bd_share_wrap">b</b><i id="xa">i</i></section>
<my_el class="a	b">m</my_el><pé>e</pé><PÉ>E</PÉ><svg viewBox="0 0 1 1"><clipPath id="c"></clipPath></svg></div>`

// FuzzSelectorIndex: for any selector cascadia takes, the engine (the
// index by tag, class and id, and the attribute filter) finds exactly the
// elements cascadia alone matches.
func FuzzSelectorIndex(f *testing.F) {
	for _, s := range []string{`[class#=(?i)(^|[\s_-])share([\s_-]|$)]`, `a[href#=(?i)/go\?url=https?]`, `div[title#=don't] a`,
		`[title="a\"] [href#=x"]`, `p[title='5"'] a`, `.x\( a`, `p.like-count, [id#=^x(a|b)$]`, `img[src#=(?i)end], li.hljs-comment`,
		`font[color#=(?i)^#?f8f8f8$], span[style#=(?i)color\s*:\s*#fff]`, `p:matches(^\d+$)`, `section > b, i#xa`, `[data-x="a b"] *`,
		`my_el`, `pé`, `PÉ`, `a_b.share, my_el.b`, `svg > clippath`, `[viewbox]`} {
		f.Add(s)
	}
	root, err := html.Parse(strings.NewReader(fuzzDoc))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sel string) {
		group, err := cascadia.ParseGroup(sel)
		if err != nil || len(sel) > 200 || !utf8.ValidString(sel) {
			return // the rule file below could not say it as it is
		}
		set, err := Parse("fuzz.yaml", []byte("version: 1\nrules:\n  - name: r\n    description: d\n    select: "+strconv.Quote(sel)+"\n    action: remove\n"))
		if err != nil {
			return // a selector YAML cannot hold as written, or that Parse refuses
		}
		target := set.Rules()[0].target.(*elementTarget)
		d := docs.Get().(*doc)
		defer d.release()
		d.root = root
		d.reset()
		var want []*html.Node
		for _, n := range d.all {
			if n.Type == html.ElementNode && group.Match(n) {
				want = append(want, n)
			}
		}
		if got := target.find(d); !slices.Equal(got, want) {
			t.Errorf("%q: the engine finds %d elements, cascadia %d", sel, len(got), len(want))
		}
	})
}
