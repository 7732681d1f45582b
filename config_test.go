package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestConfigFoundUpward(t *testing.T) {
	dir := tree(t, map[string]string{
		".mdclean.yaml":        "disable: [hidden-text]\n",
		"content/news/post.md": dirtyPost,
	})
	kept := "---\ntitle: dirty\n---\n\nText.Mitbbs.com\n"
	for _, tc := range []struct{ cwd, post string }{
		{".", "content/news/post.md"},
		{"content", "news/post.md"},
		{"content/news", "post.md"},
	} {
		code, out, errs := inDir(t, filepath.Join(dir, tc.cwd), tc.post)
		if code != 0 || out != kept {
			t.Errorf("from %s: exit %d, err %q, out %q; want the watermark kept", tc.cwd, code, errs, out)
		}
	}
	// The nearest file wins: one in content/ disables nothing.
	os.WriteFile(filepath.Join(dir, "content/.mdclean.yaml"), []byte("# nothing\n"), 0o644)
	if code, out, _ := inDir(t, filepath.Join(dir, "content/news"), "post.md"); code != 0 || out != cleanPost {
		t.Errorf("nearest config: exit %d, out %q", code, out)
	}
}

func TestConfigFlag(t *testing.T) {
	dir := tree(t, map[string]string{
		".mdclean.yaml":    "disable: [hidden-text]\n",
		"conf/other.yaml":  "disable: [empty-blocks]\n",
		"post.md":          dirtyPost,
		"conf/broken.yaml": "rules: [a.yaml]\nexclud: ['drafts/**']\n",
	})
	// --config replaces the file the search would find.
	code, out, errs := inDir(t, dir, "--config", "conf/other.yaml", "post.md")
	if code != 0 || strings.Contains(out, "Mitbbs") {
		t.Errorf("--config: exit %d, err %q, out %q", code, errs, out)
	}
	_, out, _ = inDir(t, dir, "rules", "--config", "conf/other.yaml")
	if !strings.Contains(out, "hidden-text ") || strings.Contains(out, "empty-blocks ") {
		t.Errorf("rules --config lists the wrong rules:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--config", "conf/none.yaml", "post.md"}, "conf/none.yaml: no such file or directory\n"},
		{[]string{"rules", "--config", "conf/none.yaml"}, "conf/none.yaml: no such file or directory\n"},
		{[]string{"--config", "conf/broken.yaml", "post.md"},
			"conf/broken.yaml:2:1: unknown key \"exclud\" (want disable, exclude, include, rules)\n"},
	} {
		code, out, errs := inDir(t, dir, tc.args...)
		if code != 2 || out != "" || errs != tc.err {
			t.Errorf("%v: exit %d, out %q, err %q; want %q", tc.args, code, out, errs, tc.err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, config, cwd, err string
	}{
		{"unknown key", "rules: []\nexclud: [x]\n", ".",
			".mdclean.yaml:2:1: unknown key \"exclud\" (want disable, exclude, include, rules)\n"},
		{"found above", "disable: hidden-text\n", "sub",
			"../.mdclean.yaml:1:10: disable: want a list\n"},
		{"unknown rule", "disable: [hidden-text, no-such-rule, other]\n", ".",
			".mdclean.yaml:1:24: disable: no rule is named \"no-such-rule\"\n" +
				".mdclean.yaml:1:38: disable: no rule is named \"other\"\n"},
		{"missing rule file", "rules:\n  - site.yaml\n", "sub",
			"../.mdclean.yaml:2:5: rules: ../site.yaml: no such file or directory\n"},
		// A cloned repository's config may not make the hook read, and
		// echo, files outside it.
		{"rule file outside the repository", "rules:\n  - /etc/passwd\n", "sub",
			"../.mdclean.yaml:2:5: rules: /etc/passwd: outside the config file's directory; refused\n"},
	} {
		dir := tree(t, map[string]string{".mdclean.yaml": tc.config, "sub/post.md": dirtyPost})
		for _, args := range [][]string{{"-"}, {"rules"}, {"explain"}} {
			code, out, errs := inDir(t, filepath.Join(dir, tc.cwd), args...)
			if code != 2 || out != "" || errs != tc.err {
				t.Errorf("%s, %v: exit %d, out %q, err %q; want %q", tc.name, args, code, out, errs, tc.err)
			}
		}
	}
}

func TestConfigRulesAndDisable(t *testing.T) {
	dir := tree(t, map[string]string{
		".mdclean.yaml": "rules: [rules/site.yaml]\ndisable: [hidden-text, cli-rule]\n",
		"rules/site.yaml": "version: 1\nrules:\n  - name: site-rule\n    description: From the config.\n" +
			"    select: p\n    text: '^Text'\n    action: remove\n",
		"cli.yaml": "version: 1\nrules:\n  - name: cli-rule\n    description: From --rules.\n    select: b\n    action: unwrap\n" +
			"  - name: cli-kept\n    description: Also from --rules.\n    select: i\n    action: unwrap\n",
		"post.md": dirtyPost,
	})
	code, out, errs := inDir(t, dir, "rules", "--rules", "cli.yaml")
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = strings.Fields(l)[0]
	}
	// Defaults, then the config's files, then --rules; disabled ones gone,
	// whichever file they came from.
	core, site, cli := slices.Index(names, "executable"), slices.Index(names, "site-rule"), slices.Index(names, "cli-kept")
	if core < 0 || !(core < site && site < cli) || strings.Contains(out, "hidden-text") || strings.Contains(out, "cli-rule") {
		t.Errorf("rules in the wrong order or not disabled:\n%s", out)
	}
	if !strings.Contains(out, "rules/site.yaml:3 ") {
		t.Errorf("config rule file path not relative to the config's directory:\n%s", out)
	}
	// Run from below, the config's rule file is still found.
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if code, out, errs := inDir(t, filepath.Join(dir, "sub"), "--rules", "../cli.yaml", "../post.md"); code != 0 || out != "---\ntitle: dirty\n---\n" {
		t.Errorf("from sub: exit %d, err %q, out %q", code, errs, out)
	}
	// With --no-default-rules, disabling a default rule is not an error.
	if code, _, errs := inDir(t, dir, "--no-default-rules", "--rules", "cli.yaml", "post.md"); code != 0 {
		t.Errorf("--no-default-rules: exit %d, %q", code, errs)
	}
	// Without cli.yaml, cli-rule is unknown.
	if code, _, errs := inDir(t, dir, "post.md"); code != 2 || errs != ".mdclean.yaml:2:24: disable: no rule is named \"cli-rule\"\n" {
		t.Errorf("unknown disabled rule: exit %d, %q", code, errs)
	}
}

func TestConfigIncludeExclude(t *testing.T) {
	files := map[string]string{
		"content/a.md":             dirtyPost,
		"content/news/b.md":        dirtyPost,
		"content/drafts/c.md":      dirtyPost,
		"content/drafts/old/d.md":  dirtyPost,
		"notes/e.md":               dirtyPost,
		"README.md":                dirtyPost,
		"content/news/_index.md":   dirtyPost,
		"content/news/f.markdown":  dirtyPost,
		"content/news/deep/g.md":   dirtyPost,
		"content/drafts/keep.md":   dirtyPost,
		"content/drafts/notes.txt": dirtyPost,
	}
	for _, tc := range []struct {
		name, config, cwd string
		args              []string
		want              string
	}{
		{"no globs", "", ".", []string{"."},
			"README.md\ncontent/a.md\ncontent/drafts/c.md\ncontent/drafts/keep.md\ncontent/drafts/old/d.md\n" +
				"content/news/_index.md\ncontent/news/b.md\ncontent/news/deep/g.md\ncontent/news/f.markdown\nnotes/e.md\n"},
		{"include", "include: ['content/**/*.md']\n", ".", []string{"."},
			"content/a.md\ncontent/drafts/c.md\ncontent/drafts/keep.md\ncontent/drafts/old/d.md\n" +
				"content/news/_index.md\ncontent/news/b.md\ncontent/news/deep/g.md\n"},
		{"include and exclude", "include: ['content/**/*.md']\nexclude: ['content/drafts/**', '**/_*']\n", ".", []string{"."},
			"content/a.md\ncontent/news/b.md\ncontent/news/deep/g.md\n"},
		{"exclude only", "exclude: [content/drafts/, notes/]\n", ".", []string{"."},
			"README.md\ncontent/a.md\ncontent/news/_index.md\ncontent/news/b.md\ncontent/news/deep/g.md\ncontent/news/f.markdown\n"},
		{"relative to the config, not the cwd", "exclude: ['content/drafts/**']\n", "content", []string{"drafts/..", "news/deep"},
			"drafts/../a.md\ndrafts/../news/_index.md\ndrafts/../news/b.md\ndrafts/../news/deep/g.md\ndrafts/../news/f.markdown\n"},
		{"named files are always taken", "exclude: ['content/drafts/**']\n", ".", []string{"content/drafts", "content/drafts/c.md"},
			"content/drafts/c.md\n"},
	} {
		dir := tree(t, files)
		if tc.config != "" {
			os.WriteFile(filepath.Join(dir, ".mdclean.yaml"), []byte(tc.config), 0o644)
		}
		code, out, errs := inDir(t, filepath.Join(dir, tc.cwd), append([]string{"-l"}, tc.args...)...)
		if code != 1 || out != tc.want {
			t.Errorf("%s: exit %d, err %q, out\n%s\nwant\n%s", tc.name, code, errs, out, tc.want)
		}
	}
}
