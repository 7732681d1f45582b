package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindLooksUpward(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "site", FileName), "")
	write(t, filepath.Join(root, "site", "content", "deep", "x.md"), "")
	write(t, filepath.Join(root, "site", "nested", FileName), "")
	for _, tc := range []struct{ start, want string }{
		{"site", filepath.Join("site", FileName)},
		{"site/content", filepath.Join("site", FileName)},
		{"site/content/deep", filepath.Join("site", FileName)},
		{"site/nested", filepath.Join("site", "nested", FileName)}, // the nearest wins
	} {
		got, err := Find(filepath.Join(root, tc.start))
		if err != nil || got != filepath.Join(root, tc.want) {
			t.Errorf("Find(%s) = %q, %v; want %q", tc.start, got, err, filepath.Join(root, tc.want))
		}
	}
}

func TestFindRelativeAndNone(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "a", FileName), "")
	os.MkdirAll(filepath.Join(root, "a", "b", "c"), 0o755)
	old, _ := os.Getwd()
	defer os.Chdir(old)

	os.Chdir(filepath.Join(root, "a", "b", "c"))
	if got, err := Find("."); err != nil || got != "../../"+FileName {
		t.Errorf("Find(.) = %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(os.TempDir(), FileName)); err == nil {
		t.Skip("a config file above the temp dir makes a search without one impossible")
	}
	os.Chdir(root)
	if got, err := Find("."); err != nil || got != "" {
		t.Errorf("Find(.) above the config = %q, %v; want none (up to the root)", got, err)
	}
}

func TestParse(t *testing.T) {
	c, err := Parse("site/.mdclean.yaml", []byte(`
rules: [extra.yaml, more/rules.yaml, /abs/r.yaml]
disable: [hidden-text]
include: ['content/**/*.md', './posts/']
exclude: ['content/drafts/**']
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:    "site/.mdclean.yaml",
		Dir:     "site",
		Rules:   []string{"site/extra.yaml", "site/more/rules.yaml", "/abs/r.yaml"},
		Disable: []string{"hidden-text"},
		Include: []string{"content/**/*.md", "posts/**"},
		Exclude: []string{"content/drafts/**"},
	}
	got := *c
	got.absDir, got.realDir, got.pos = "", "", nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if err := c.Errorf("disable", 0, "disable: no rule is named %q", "x"); err.Error() != `site/.mdclean.yaml:3:11: disable: no rule is named "x"` {
		t.Errorf("Errorf: %v", err)
	}
	if c, err := Parse("e.yaml", []byte("# nothing yet\n")); err != nil || c.WalkFilter() != nil {
		t.Errorf("empty config: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unknown key", "rules: [a.yaml]\nexclud: [x]\n",
			`c.yaml:2:1: unknown key "exclud" (want disable, exclude, include, rules)`},
		{"every problem", "disable: hidden-text\ninclude: ['[']\nfoo: 1\n",
			"c.yaml:1:10: disable: want a list\n" +
				`c.yaml:2:11: include: bad glob "["` + "\n" +
				`c.yaml:3:1: unknown key "foo" (want disable, exclude, include, rules)`},
		{"empty entry", "rules: ['', {a: b}]\n",
			"c.yaml:1:9: rules: want a non-empty string\nc.yaml:1:13: rules: want a non-empty string"},
		{"twice", "rules: [a]\nrules: [b]\n", "c.yaml:2:1: rules: given twice"},
		{"not a mapping", "- a\n", "c.yaml:1:1: want a mapping with any of disable, exclude, include, rules"},
		{"bad yaml", "rules: [a\n", "c.yaml:1:1: invalid YAML: did not find expected ',' or ']'"},
	} {
		_, err := Parse("c.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got\n%v\nwant\n%s", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !os.IsNotExist(unwrap(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrap(err error) error {
	type wrapper interface{ Unwrap() error }
	for {
		w, ok := err.(wrapper)
		if !ok {
			return err
		}
		err = w.Unwrap()
	}
}

func TestWalkFilter(t *testing.T) {
	dir := t.TempDir()
	parse := func(src string) func(string) bool {
		c, err := Parse(filepath.Join(dir, FileName), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return c.WalkFilter()
	}
	both := parse("include: ['content/**/*.md']\nexclude: ['content/drafts/**', '**/_*']\n")
	only := parse("exclude: [drafts/]\n")
	for _, tc := range []struct {
		keep func(string) bool
		path string
		want bool
	}{
		{both, "content/a.md", true},
		{both, "content/news/2024/a.md", true},
		{both, "content/a.markdown", false}, // not included
		{both, "notes/a.md", false},
		{both, "content/drafts/a.md", false},
		{both, "content/drafts/deep/a.md", false},
		{both, "content/_index.md", false},
		{both, "../elsewhere/content/a.md", false}, // outside: no include can match
		{only, "a.md", true},
		{only, "drafts/a.md", false},
		{only, "posts/drafts/a.md", true}, // globs are anchored at the config's directory
		{only, "../drafts/a.md", true},    // outside: nothing excludes it
	} {
		if got := tc.keep(filepath.Join(dir, filepath.FromSlash(tc.path))); got != tc.want {
			t.Errorf("%s: keep = %v, want %v", tc.path, got, tc.want)
		}
	}
	if f := parse("rules: [a.yaml]\n"); f != nil {
		t.Error("a config without globs should not filter walks")
	}
	var none *Config
	if none.WalkFilter() != nil {
		t.Error("no config should not filter walks")
	}
}
