package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/mdclean/mdclean/rules"
)

func TestExplainDefaultRules(t *testing.T) {
	code, out, errs := runCLI(t, dirtyPost, "explain", "-")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	hidden := regexp.MustCompile(`^hidden-text +body > p:nth-of-type\(1\) > font +<font color="#F8F8F8">Mitbbs.com</font>$`)
	if !slicesContainsFunc(lines, hidden.MatchString) {
		t.Errorf("no hidden-text line for the watermark:\n%s", out)
	}
	if !slicesContainsFunc(lines, regexp.MustCompile(`^empty-blocks +body > p:nth-of-type\(2\) +<p><br/></p>$`).MatchString) {
		t.Errorf("no empty-blocks line for the empty paragraph:\n%s", out)
	}
	summary := regexp.MustCompile(`^(\d+) actions? by (\d+) rules?$`).FindStringSubmatch(lines[len(lines)-1])
	if summary == nil || summary[1] != fmt.Sprint(len(lines)-1) {
		t.Errorf("summary %q does not count the %d lines above it", lines[len(lines)-1], len(lines)-1)
	}
	// A file gives the same; a watermark disabled by the config is not removed.
	dir := tree(t, map[string]string{"post.md": dirtyPost})
	if code, fromFile, _ := inDir(t, dir, "explain", "post.md"); code != 0 || fromFile != out {
		t.Errorf("explain FILE: exit %d\n%s", code, fromFile)
	}
	os.WriteFile(filepath.Join(dir, ".mdclean.yaml"), []byte("disable: [hidden-text]\n"), 0o644)
	if _, withConfig, _ := inDir(t, dir, "explain", "post.md"); strings.Contains(withConfig, "hidden-text") {
		t.Errorf("a disabled rule acted:\n%s", withConfig)
	}
}

func slicesContainsFunc(lines []string, f func(string) bool) bool {
	for _, l := range lines {
		if f(l) {
			return true
		}
	}
	return false
}

const watermarkRules = `version: 1
rules:
  - name: watermark
    description: Near-white text.
    select: 'font[color="#F8F8F8"]'
    action: remove
  - name: news-breaks
    description: Breaks, in news posts only.
    select: br
    when: {path: '^news/'}
    action: remove
`

func TestExplainExact(t *testing.T) {
	r := filepath.Join(t.TempDir(), "r.yaml")
	os.WriteFile(r, []byte(watermarkRules), 0o644)
	want := "watermark  body > p:nth-of-type(1) > font  <font color=\"#F8F8F8\">Mitbbs.com</font>\n" +
		"1 action by 1 rule\n"
	// The rule flags go before or after the command name.
	for _, args := range [][]string{
		{"--no-default-rules", "--rules", r, "explain"},
		{"explain", "--no-default-rules", "--rules", r, "-"},
		{"--no-default-rules", "explain", "--rules", r},
	} {
		if code, out, errs := runCLI(t, dirtyPost, args...); code != 0 || out != want || errs != "" {
			t.Errorf("%v: exit %d, err %q, out\n%s", args, code, errs, out)
		}
	}
	// --stdin-filename names standard input for path conditions.
	code, out, _ := runCLI(t, dirtyPost, "--no-default-rules", "--rules", r, "explain", "--stdin-filename", "news/a.md")
	want = "watermark    body > p:nth-of-type(1) > font  <font color=\"#F8F8F8\">Mitbbs.com</font>\n" +
		"news-breaks  body > p:nth-of-type(1) > br    <br/>\n" +
		"news-breaks  body > p:nth-of-type(2) > br    <br/>\n" +
		"3 actions by 2 rules\n"
	if code != 0 || out != want {
		t.Errorf("path condition: exit %d, out\n%s\nwant\n%s", code, out, want)
	}
}

func TestExplainErrors(t *testing.T) {
	dir := tree(t, map[string]string{"bad.md": "---\ntitle: x\n<p>never closed</p>\n", "a.md": dirtyPost})
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"explain", "missing.md"}, "missing.md: no such file or directory\n"},
		{[]string{"explain", "bad.md"}, "bad.md: front matter opened on line 1 is never closed\n"},
		{[]string{"explain", "."}, ".: is a directory\n"},
		{[]string{"explain", "a.md", "bad.md"}, "mdclean: explain takes one FILE (or - for standard input)\n"},
		{[]string{"explain", "--from", "docx", "a.md"}, "mdclean: --from: want html, markdown or auto, got \"docx\"\n"},
	} {
		code, out, errs := inDir(t, dir, tc.args...)
		if code != 2 || out != "" || errs != tc.err {
			t.Errorf("%v: exit %d, out %q, err %q; want %q", tc.args, code, out, errs, tc.err)
		}
	}
}

func TestRulesListsDefaults(t *testing.T) {
	code, out, errs := runCLI(t, "", "rules")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != set.Len() {
		t.Fatalf("%d lines for %d rules:\n%s", len(lines), set.Len(), out)
	}
	col := -1
	for i, r := range set.Rules() {
		origin := fmt.Sprintf("%s:%d", r.Origin, r.Line)
		f := strings.Fields(lines[i])
		if len(f) < 4 || f[0] != r.Name || f[1] != origin || f[2] != r.ActionName() || !strings.HasSuffix(lines[i], "  "+r.Description) {
			t.Errorf("line %d: %q, want %s %s %s %s", i, lines[i], r.Name, origin, r.ActionName(), r.Description)
		}
		if at := strings.Index(lines[i], origin); col == -1 {
			col = at
		} else if at != col {
			t.Errorf("line %d: origin at column %d, not %d: columns not aligned", i, at, col)
		}
	}
	// The origin is the rule's own line in its file.
	for _, r := range set.Rules() {
		if r.Name == "hidden-text" && r.Origin == rules.DefaultFile {
			b, err := os.ReadFile("rules/default.yaml") // the file DefaultFile names, embedded
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			line := strings.Count(src[:strings.Index(src, "- name: hidden-text")], "\n") + 1
			if r.Line != line || !strings.Contains(out, fmt.Sprintf("%s:%d", rules.DefaultFile, line)) {
				t.Errorf("hidden-text: origin line %d, the file has it on line %d", r.Line, line)
			}
		}
	}
}

func TestRulesWithFlags(t *testing.T) {
	want := "site-signature  testdata/rules/site.yaml:3  remove  The example site's sign-off line, only in its own posts.\n"
	for _, args := range [][]string{
		{"--no-default-rules", "--rules", "testdata/rules/site.yaml", "rules"},
		{"rules", "--no-default-rules", "--rules", "testdata/rules/site.yaml"},
		{"--rules", "testdata/rules/site.yaml", "rules", "--no-default-rules"},
	} {
		if code, out, errs := runCLI(t, "", args...); code != 0 || out != want || errs != "" {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errs)
		}
	}
	_, out, _ := runCLI(t, "", "rules", "--rules", "testdata/rules/site.yaml")
	if core, site := strings.Index(out, "\nhidden-text "), strings.Index(out, "\nsite-signature "); core < 0 || site < core {
		t.Errorf("a --rules file's rules should come after the core defaults:\n%s", out)
	}
	if code, _, errs := runCLI(t, "", "rules", "--bogus"); code != 2 || errs != "mdclean: flag provided but not defined: -bogus (see mdclean rules --help)\n" {
		t.Errorf("rules --bogus: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "rules", "site.yaml"); code != 2 || !strings.Contains(errs, "rules check") {
		t.Errorf("rules with an argument: exit %d, %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "rules", "--rules", "testdata/rules/bad.yaml"); code != 2 || !strings.HasPrefix(errs, "testdata/rules/bad.yaml:6:13: ") {
		t.Errorf("rules with a bad --rules file: exit %d, %q", code, errs)
	}
}

func TestRulesCheck(t *testing.T) {
	names := make([]string, 0, len(rules.Actions()))
	for n := range rules.Actions() {
		names = append(names, n)
	}
	sort.Strings(names)
	badLine := `testdata/rules/bad.yaml:6:13: rule "ads": unknown action "unwarp" (want one of ` + strings.Join(names, ", ") + ")\n"
	twoErrs := filepath.Join(t.TempDir(), "two.yaml")
	os.WriteFile(twoErrs, []byte("version: 1\nrules:\n  - name: Bad Name\n    description: d\n    select: 'p['\n    action: remove\n"), 0o644)

	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		out, errs string
	}{
		{"good", []string{"testdata/rules/site.yaml"}, 0, "testdata/rules/site.yaml: 1 rule ok\n", ""},
		{"bad", []string{"testdata/rules/bad.yaml"}, 2, "", badLine},
		{"every error", []string{twoErrs}, 2, "",
			twoErrs + `:3:11: rule "Bad Name": name: want lower-case letters, digits, '.', '_' or '-'` + "\n" +
				twoErrs + `:5:13: rule "Bad Name": select: bad CSS selector: expected identifier, found EOF instead` + "\n"},
		{"mixed", []string{"testdata/rules/bad.yaml", "testdata/rules/site.yaml", "testdata/rules/none.yaml"}, 2,
			"testdata/rules/site.yaml: 1 rule ok\n", badLine + "testdata/rules/none.yaml: no such file or directory\n"},
		{"no files", nil, 2, "", "mdclean: rules check: want one or more rule FILEs\n"},
	} {
		code, out, errs := runCLI(t, "", append([]string{"rules", "check"}, tc.args...)...)
		if code != tc.code || out != tc.out || errs != tc.errs {
			t.Errorf("%s: exit %d, out %q, err\n%s\nwant exit %d, out %q, err\n%s", tc.name, code, out, errs, tc.code, tc.out, tc.errs)
		}
	}
}

// TestDefaultActionUnchanged makes sure the commands did not take over the
// plain use: flags, files and standard input still clean.
func TestDefaultActionUnchanged(t *testing.T) {
	code, out, _ := runCLI(t, dirtyPost)
	if code != 0 || out != cleanPost {
		t.Errorf("stdin: exit %d, %q", code, out)
	}
	dir := tree(t, map[string]string{"explain.md": dirtyPost, "rules/a.md": dirtyPost})
	if code, out, _ := inDir(t, dir, "-l", "explain.md", "./rules"); code != 1 || out != "explain.md\nrules/a.md\n" {
		t.Errorf("-l: exit %d, %q", code, out)
	}
	var o, e bytes.Buffer
	if code := run([]string{"mdclean", "--help"}, strings.NewReader(""), &o, &e); code != 0 || !strings.Contains(o.String(), "explain") {
		t.Errorf("--help does not show the commands: exit %d\n%s", code, o.String())
	}
}

// The completion scripts hold this build's flags and commands; the bash
// one completes in bash.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errs := runCLI(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, "force-exclude") || !strings.Contains(out, "suggest") {
			t.Errorf("%s: exit %d, %s\n%s", shell, code, errs, out)
		}
	}
	if code, _, errs := runCLI(t, "", "completion", "tcsh"); code != 2 || !strings.Contains(errs, "want bash, zsh or fish") {
		t.Errorf("tcsh: exit %d, %q", code, errs)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := runCLI(t, "", "completion", "bash")
	f := filepath.Join(t.TempDir(), "c.bash")
	os.WriteFile(f, []byte(script), 0o644)
	out, err := exec.Command("bash", "-c", `source "$1"; COMP_WORDS=(mdclean --forc); COMP_CWORD=1; _mdclean; echo "${COMPREPLY[@]}"; COMP_WORDS=(mdclean sug); COMP_CWORD=1; _mdclean; echo "${COMPREPLY[@]}"`, "bash", f).CombinedOutput()
	if err != nil || string(out) != "--force-exclude\nsuggest suggest_test.go\n" {
		t.Errorf("bash completion: %v %q", err, out)
	}
}

// --format json: rules and explain write one JSON object a line, and
// --stats one per rule then one for the run.
func TestJSONFormats(t *testing.T) {
	decode := func(what, out string) []map[string]any {
		var objs []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var o map[string]any
			if err := json.Unmarshal([]byte(line), &o); err != nil {
				t.Fatalf("%s: %q is not JSON: %v", what, line, err)
			}
			objs = append(objs, o)
		}
		return objs
	}
	_, out, _ := runCLI(t, "", "rules", "--format", "json")
	rs := decode("rules", out)
	if len(rs) < 20 || rs[0]["name"] != "executable" || !strings.HasPrefix(rs[0]["origin"].(string), "embedded:default.yaml:") {
		t.Errorf("rules: %v", rs[:1])
	}
	_, out, _ = runCLI(t, "", "explain", "--format", "json", filepath.Join("testdata", "golden", "mitbbs-watermark.in.md"))
	ex := decode("explain", out)
	if len(ex) == 0 || ex[0]["rule"] != "hidden-text" || !strings.Contains(ex[0]["before"].(string), "Mitbbs.com") {
		t.Errorf("explain: %v", ex)
	}
	_, _, errs := runCLI(t, "", "--stats", "--format", "json", "-q", filepath.Join("testdata", "templates"))
	st := decode("stats", errs)
	last := st[len(st)-1]
	if _, ok := st[0]["hits"]; !ok || len(last["templates"].([]any)) != 3 {
		t.Errorf("stats: first %v, last %v", st[0], last)
	}
	if code, _, errs := runCLI(t, "", "rules", "--format", "yaml"); code != 2 || !strings.Contains(errs, "--format: want") {
		t.Errorf("rules --format yaml: exit %d, %q", code, errs)
	}
}
