package rules_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

// conditionRules holds one rule per field test shape: exact members and
// values, regexps with and without literals, values a parser writes itself
// (numbers, dates, booleans), and text split by folding or quoting.
const conditionRules = `version: 1
rules:
  - {name: has-cjk, description: t, select: p.a, action: remove, when: {front-matter: {categories: {has: 掘金}}}}
  - {name: has-space, description: t, select: p.b, action: remove, when: {front-matter: {categories: {has: AI 研习社}}}}
  - {name: has-ascii, description: t, select: p.c, action: remove, when: {front-matter: {categories: {has: PMCAFF}}}}
  - {name: has-number, description: t, select: p.d, action: remove, when: {front-matter: {id: {has: '1000000'}}}}
  - {name: has-float, description: t, select: p.e, action: remove, when: {front-matter: {ratio: {has: 1e+06}}}}
  - {name: re-literal, description: t, select: p.f, action: remove, when: {front-matter: {author: '^Site News$'}}}
  - {name: re-date, description: t, select: p.g, action: remove, when: {front-matter: {date: 'UTC$'}}}
  - {name: re-bool, description: t, select: p.h, action: remove, when: {front-matter: {draft: '^true$'}}}
  - {name: re-map, description: t, select: p.i, action: remove, when: {front-matter: {meta: 'map\['}}}
  - {name: has-quote, description: t, select: p.j, action: remove, when: {front-matter: {title: {has: "it's here"}}}}
  - {name: re-nil, description: t, select: p.k, action: remove, when: {front-matter: {tags: 'nil'}}}
  - {name: re-alt, description: t, select: p.l, action: remove, when: {front-matter: {source: '(掘金|稀土)社区'}}}
`

const conditionBody = `<p class=a>a</p><p class=b>b</p><p class=c>c</p><p class=d>d</p><p class=e>e</p><p class=f>f</p>` +
	`<p class=g>g</p><p class=h>h</p><p class=i>i</p><p class=j>j</p><p class=k>k</p><p class=l>l</p>`

// The front matter shortcut never changes what a condition decides: every
// rule fires or not the same with the front matter as written given and
// without it (the fields parsed for every rule).
func TestFrontMatterShortcutDecidesAlike(t *testing.T) {
	set, err := rules.Parse("t.yaml", []byte(conditionRules))
	if err != nil {
		t.Fatal(err)
	}
	fired := 0
	for _, post := range shortcutPosts {
		n, err := decideAlike(t, set, post)
		if err != nil {
			t.Fatal(err)
		}
		fired += n
	}
	if fired < 12 {
		t.Errorf("only %d rules fired: the cases test too little", fired)
	}
}

var shortcutPosts = []string{
	"---\ncategories: [掘金, news]\n---\n",
	"---\ncategories:\n  - AI\n    研习社\n---\n",
	"---\ncategories: >\n  AI\n  研习社\n---\n",
	"---\ncategories: PMCAFF\nid: 1_000_000\nratio: 1000000.0\n---\n",
	"---\nid: 0xF4240\nratio: 1e6\n---\n",
	"---\nauthor: 'Site News'\ndate: 2024-01-02\ndraft: true\n---\n",
	"---\nmeta: {a: 1}\ntitle: 'it''s here'\ntags: [~, x]\n---\n",
	"---\nsource: 稀土社区\n---\n",
	"---\nsource: \"\\u6398\\u91d1社区\"\ntitle: \"it\\x27s here\"\n---\n",
	"---\ncategories: !!str 掘金\n---\n",
	"+++\ncategories = [\"掘金\"]\nid = 1_000_000\ndate = 2024-01-02T00:00:00Z\ndraft = true\n[meta]\na = 1\n+++\n",
	"+++\ntitle = 'it''s here'\nsource = '''\n掘金社区'''\n+++\n",
	"{\"categories\": [\"PMCAFF\"], \"ratio\": 1000000, \"meta\": {\"a\": null}, \"tags\": [null]}\n;;;\n",
	"---\ntitle: x\n---\n",
}

// FuzzFrontMatterShortcut: for any front matter, the same decisions with
// the shortcut and without.
func FuzzFrontMatterShortcut(f *testing.F) {
	for _, p := range shortcutPosts {
		f.Add(p)
	}
	set, err := rules.Parse("t.yaml", []byte(conditionRules))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, post string) {
		decideAlike(t, set, post) // a post that does not split is no case
	})
}

// decideAlike applies set to the post's body with the front matter
// shortcut and without it, reports every rule that fires differently, and
// returns how many rules fired.
func decideAlike(t testing.TB, set *rules.Set, post string) (fired int, err error) {
	t.Helper()
	p, err := clean.Split([]byte(post + conditionBody))
	if err != nil {
		return 0, err
	}
	fields := func() map[string]any { f, _ := p.Fields(); return f }
	with := apply(t, set, rules.Env{FrontMatter: p.Matter, Fields: fields})
	without := apply(t, set, rules.Env{Fields: fields})
	for i, r := range set.Rules() {
		if with[i] != without[i] {
			t.Errorf("%q: rule %s hits %d with the shortcut, %d without", post, r.Name, with[i], without[i])
		}
		fired += without[i]
	}
	return fired, nil
}

func apply(t testing.TB, set *rules.Set, env rules.Env) rules.Hits {
	doc, err := html.Parse(strings.NewReader(conditionBody))
	if err != nil {
		t.Fatal(err)
	}
	return set.Apply(doc, env)
}

// And the shortcut does spare the parse: a post whose front matter holds
// none of the rules' values is never parsed.
func TestFrontMatterShortcutSparesTheParse(t *testing.T) {
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := clean.Split([]byte("---\ntitle: A day in the city\ncategories: [News, Local]\nauthor: someone\n---\n<p>x</p>"))
	if err != nil {
		t.Fatal(err)
	}
	parsed := 0
	apply2 := func(env rules.Env) {
		doc, _ := html.Parse(strings.NewReader("<p>x</p>"))
		set.Apply(doc, env)
	}
	apply2(rules.Env{FrontMatter: p.Matter, Fields: func() map[string]any { parsed++; f, _ := p.Fields(); return f }})
	if parsed != 0 {
		t.Errorf("front matter parsed %d times for a post no condition can match", parsed)
	}
	q, _ := clean.Split([]byte("---\ncategories: [掘金]\n---\n<p>x</p>"))
	apply2(rules.Env{FrontMatter: q.Matter, Fields: func() map[string]any { parsed++; f, _ := q.Fields(); return f }})
	if parsed == 0 {
		t.Error("front matter a pack's condition needs was not parsed")
	}
}
