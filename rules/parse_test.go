package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestDefaultRulesCompile(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatalf("embedded default rules: %v", err)
	}
	if set.Len() == 0 {
		t.Fatal("no default rules")
	}
	for _, r := range set.Rules() {
		if r.Description == "" || !strings.HasPrefix(r.Origin, "embedded:") || r.Line == 0 {
			t.Errorf("rule %q: description %q, origin %q, line %d", r.Name, r.Description, r.Origin, r.Line)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"bad yaml", "version: 1\n\trules: []\n", "r.yaml:2:1: invalid YAML: found a tab character"},
		{"empty file", "", "r.yaml:1:1: empty rule file"},
		{"no version", "rules: []\n", "r.yaml:1:1: missing version:"},
		{"bad version", "version: 2\nrules: []\n", `r.yaml:1:10: unsupported version "2"`},
		{"unknown top key", "version: 1\nrulez: []\n", `r.yaml:2:1: unknown key "rulez"`},
		{"rules not a list", "version: 1\nrules: {}\n", "r.yaml:2:8: rules: want a list"},
		{"unknown rule key", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    acton: remove\n",
			`r.yaml:6:5: rule "a": unknown key "acton"`},
		{"unknown action", "version: 1\nrules:\n  - name: ads\n    description: d\n    select: p\n    action: unwarp\n",
			`r.yaml:6:13: rule "ads": unknown action "unwarp"`},
		{"bad selector", "version: 1\nrules:\n  - name: a\n    description: d\n    select: 'p[['\n    action: remove\n",
			`r.yaml:5:13: rule "a": select: bad CSS selector:`},
		{"bad regexp", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    text: '(unclosed'\n    action: remove\n",
			`r.yaml:6:11: rule "a": bad regular expression: missing closing )`},
		{"bad comment regexp", "version: 1\nrules:\n  - name: a\n    description: d\n    comment: '['\n    action: remove\n",
			`r.yaml:5:14: rule "a": bad regular expression`},
		{"duplicate name", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action: remove\n  - name: a\n    description: d\n    select: div\n    action: remove\n",
			`r.yaml:7:5: rule "a": duplicate rule name, first defined on line 3`},
		{"missing name", "version: 1\nrules:\n  - description: d\n    select: p\n    action: remove\n", "r.yaml:3:5: missing name:"},
		{"bad name", "version: 1\nrules:\n  - name: Bad Name\n    description: d\n    select: p\n    action: remove\n",
			`r.yaml:3:11: rule "Bad Name": name: want lower-case`},
		{"missing description", "version: 1\nrules:\n  - name: a\n    select: p\n    action: remove\n", `r.yaml:3:5: rule "a": missing description:`},
		{"two-line description", "version: 1\nrules:\n  - name: a\n    description: |\n      one\n      two\n    select: p\n    action: remove\n",
			`r.yaml:4:18: rule "a": description: want one line`},
		{"no target", "version: 1\nrules:\n  - name: a\n    description: d\n    action: remove\n", `r.yaml:3:5: rule "a": missing target`},
		{"two targets", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    comment: x\n    action: remove\n",
			`r.yaml:6:5: rule "a": select and comment: a rule has one target`},
		{"missing action", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n", `r.yaml:3:5: rule "a": missing action:`},
		{"unwrap on comments", "version: 1\nrules:\n  - name: a\n    description: d\n    comment: x\n    action: unwrap\n",
			`r.yaml:6:13: rule "a": action "unwrap" works on elements only`},
		{"text on comments", "version: 1\nrules:\n  - name: a\n    description: d\n    comment: x\n    text: y\n    action: remove\n",
			`r.yaml:6:5: rule "a": text: only with select:`},
		{"text on lines", "version: 1\nrules:\n  - name: a\n    description: d\n    line: x\n    text: y\n    action: remove\n",
			`r.yaml:6:5: rule "a": text: only with select:`},
		{"unwrap on lines", "version: 1\nrules:\n  - name: a\n    description: d\n    line: x\n    action: unwrap\n",
			`r.yaml:6:13: rule "a": action "unwrap" works on elements only`},
		{"bad line position", "version: 1\nrules:\n  - name: a\n    description: d\n    line: x\n    position: {middle: 1}\n    action: remove\n",
			`r.yaml:6:`},
		{"text-only not bool", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    position: {last: 2, text-only: maybe}\n    action: remove\n",
			`r.yaml:6:36: rule "a": position: text-only: want true or false`},
		{"empty not bool", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    empty: maybe\n    action: remove\n",
			`r.yaml:6:12: rule "a": empty: want true or false`},
		{"action arg missing", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action:\n      replace-text: {with: x}\n",
			`r.yaml:7:21: rule "a": replace-text: missing pattern:`},
		{"replace-text at", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action:\n      replace-text: {pattern: x, at: middle}\n",
			`r.yaml:7:38: rule "a": replace-text: at: is start or end, not "middle"`},
		{"replace-text at empty", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action:\n      replace-text: {pattern: x, at: ''}\n",
			`r.yaml:7:38: rule "a": replace-text: at: is start or end, not ""`},
		{"action arg unknown", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action:\n      replace-text: {pattern: x, wiht: y}\n",
			`r.yaml:7:34: rule "a": replace-text: unknown key "wiht"`},
		{"args on remove", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action: {remove: {force: true}}\n",
			`r.yaml:6:23: rule "a": remove: takes no arguments, got "force"`},
		{"between missing end", "version: 1\nrules:\n  - name: a\n    description: d\n    between: {start: x}\n    action: remove\n",
			`r.yaml:5:14: rule "a": between: missing end:`},
		{"remove-attr without names", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action: {remove-attr: {}}\n",
			`r.yaml:6:27: rule "a": remove-attr: want names:, pattern: or both`},
		{"set-attr from not strings", "version: 1\nrules:\n  - name: a\n    description: d\n    select: img\n    action: {set-attr: {attr: src, from: {a: b}}}\n",
			`r.yaml:6:42: rule "a": from: want a string or a list of strings`},
		{"when unknown key", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    when: {frontmatter: {a: b}}\n    action: remove\n",
			`r.yaml:6:12: rule "a": when: unknown key "frontmatter"`},
		{"when bad field test", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    when:\n      front-matter:\n        tags: {contains: x}\n    action: remove\n",
			`r.yaml:8:16: rule "a": tags: unknown key "contains"`},
		{"when bad regexp", "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    when:\n      front-matter:\n        author: '*'\n    action: remove\n",
			`r.yaml:8:17: rule "a": bad regular expression`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set, err := Parse("r.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error; got %d rules", set.Len())
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is %T, want ErrorList", err)
			}
			if got := list[0].Error(); !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s...", got, c.want)
			}
			if strings.Contains(list[0].Error(), "\n") {
				t.Errorf("message is not one line: %q", list[0].Error())
			}
		})
	}
}

func TestParseReportsEveryError(t *testing.T) {
	src := "version: 1\nrules:\n  - name: a\n    description: d\n    select: p\n    action: nope\n" +
		"  - name: b\n    description: d\n    select: 'p[['\n    action: remove\n"
	_, err := Parse("r.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	if list[0].Line != 6 || list[1].Line != 9 {
		t.Errorf("lines %d and %d, want 6 and 9", list[0].Line, list[1].Line)
	}
}

func TestMergeRejectsDuplicatesAcrossFiles(t *testing.T) {
	a, err := Parse("a.yaml", []byte("version: 1\nrules:\n  - name: x\n    description: d\n    select: p\n    action: remove\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b.yaml", []byte("version: 1\nrules:\n\n  - name: x\n    description: d\n    select: div\n    action: remove\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Merge(a, b)
	want := `b.yaml:4:1: rule "x": duplicate rule name, first defined at a.yaml:3`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	m, err := Merge(a, nil)
	if err != nil || m.Len() != 1 {
		t.Errorf("merge with nil: %v, %d rules", err, m.Len())
	}
}

func TestWithout(t *testing.T) {
	set, _ := Default()
	first := set.Rules()[0].Name
	less, unknown := set.Without([]string{first, "no-such-rule"})
	if less.Len() != set.Len()-1 {
		t.Errorf("Without removed %d rules, want 1", set.Len()-less.Len())
	}
	if len(unknown) != 1 || unknown[0] != "no-such-rule" {
		t.Errorf("unknown = %v", unknown)
	}
}
