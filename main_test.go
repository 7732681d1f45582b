package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"mdclean"}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFilterStdin(t *testing.T) {
	in := read(t, "testdata/example.md")
	code, out, errs := runCLI(t, in)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, junk := range []string{"Mitbbs.com", "adsbygoogle", "<", "广告", "\u3000"} {
		if strings.Contains(out, junk) {
			t.Errorf("output still holds %q:\n%s", junk, out)
		}
	}
	if !strings.HasPrefix(out, "\n---\ntitle: 'Example: a scraped news post'\n") {
		t.Errorf("front matter not kept:\n%s", out)
	}
	// "-" is standard input too, and cleaning the output changes nothing.
	code, again, _ := runCLI(t, out, "-")
	if code != 0 || again != out {
		t.Errorf("second pass changed the post (exit %d):\n%s", code, again)
	}
}

func TestFilesConcatenateLikeGofmt(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.md"), filepath.Join(dir, "b.md")
	os.WriteFile(a, []byte("---\nt: a\n---\n<p>A</p>\n"), 0o644)
	os.WriteFile(b, []byte("---\nt: b\n---\n<p>B</p>\n"), 0o644)
	code, out, _ := runCLI(t, "", a, b)
	if code != 0 || out != "---\nt: a\n---\n\nA\n---\nt: b\n---\n\nB\n" {
		t.Errorf("exit %d, out %q", code, out)
	}
	if read(t, a) != "---\nt: a\n---\n<p>A</p>\n" {
		t.Error("printing mode wrote the file")
	}
}

func TestErrorsNameTheFileAndExit2(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.md")
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(good, []byte("<p>ok</p>"), 0o644)
	os.WriteFile(bad, []byte("---\ntitle: x\n<p>body</p>\n"), 0o644)
	code, out, errs := runCLI(t, "", bad, filepath.Join(dir, "missing.md"), good)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	want := bad + ": front matter opened on line 1 is never closed\n" +
		filepath.Join(dir, "missing.md") + ": no such file or directory\n"
	if errs != want {
		t.Errorf("stderr\n%s\nwant\n%s", errs, want)
	}
	if out != "ok\n" {
		t.Errorf("stdout %q: only the good file's output belongs there", out)
	}
	code, out, errs = runCLI(t, "---\ntitle: x\n<p>body</p>\n")
	if code != 2 || out != "" || errs != "<standard input>: front matter opened on line 1 is never closed\n" {
		t.Errorf("stdin: exit %d, out %q, err %q", code, out, errs)
	}
}

func TestInvalidFrontMatterWarns(t *testing.T) {
	code, out, errs := runCLI(t, "---\ncategories: [掘金\n---\n<p>body</p>\n")
	if code != 0 || out != "---\ncategories: [掘金\n---\n\nbody\n" {
		t.Errorf("exit %d, out %q", code, out)
	}
	if !strings.HasPrefix(errs, "warning: <standard input>: front matter is not valid YAML") || strings.Count(errs, "\n") != 1 {
		t.Errorf("stderr %q", errs)
	}
}

func TestRulesFlags(t *testing.T) {
	in := read(t, "testdata/example.md")
	_, out, _ := runCLI(t, in)
	if !strings.Contains(out, "Sent from Example News") {
		t.Fatal("default rules alone should keep the sign-off")
	}
	code, out, errs := runCLI(t, in, "--rules", "testdata/rules/site.yaml")
	if code != 0 || strings.Contains(out, "Sent from Example News") {
		t.Errorf("--rules: exit %d, err %q, out:\n%s", code, errs, out)
	}
	code, out, _ = runCLI(t, in, "--no-default-rules")
	if code != 0 || !strings.Contains(out, "Mitbbs.com") {
		t.Errorf("--no-default-rules should leave the watermarks, exit %d:\n%s", code, out)
	}
	code, out, errs = runCLI(t, in, "--rules", "testdata/rules/bad.yaml")
	if code != 2 || out != "" || !strings.HasPrefix(errs, `testdata/rules/bad.yaml:6:13: rule "ads": unknown action "unwarp" (want one of `) || strings.Count(errs, "\n") != 1 {
		t.Errorf("bad rules: exit %d, out %q, err %q", code, out, errs)
	}
	code, _, errs = runCLI(t, in, "--rules", "testdata/rules/none.yaml")
	if code != 2 || errs != "testdata/rules/none.yaml: no such file or directory\n" {
		t.Errorf("missing rules: exit %d, err %q", code, errs)
	}
	code, _, errs = runCLI(t, in, "--rules", "testdata/rules/site.yaml", "--rules", "testdata/rules/site.yaml")
	if code != 2 || !strings.Contains(errs, `duplicate rule name`) {
		t.Errorf("same file twice: exit %d, err %q", code, errs)
	}
}

func TestFromFlag(t *testing.T) {
	md := "---\nt: x\n---\nText with **bold** [links](https://example.com/) and `<b>` code.\n"
	for _, from := range []string{"auto", "markdown"} {
		if _, out, _ := runCLI(t, md, "--from", from); out != md {
			t.Errorf("--from %s should pass a safe Markdown body through, got %q", from, out)
		}
	}
	// Raw HTML is never passed through, whatever the body starts with.
	post := "---\nt: x\n---\nText with <b>bold</b> HTML.\n"
	for _, from := range []string{"auto", "html", "markdown"} {
		if _, out, _ := runCLI(t, post, "--from", from); out != "---\nt: x\n---\n\nText with **bold** HTML.\n" {
			t.Errorf("--from %s: %q", from, out)
		}
	}
	// --check calls a Markdown post with raw HTML or a script link dirty.
	for _, body := range []string{"# T\n\nText <img src=x onerror=alert(1)>\n", "# T\n\n[x](javascript&#58;alert(1))\n", "&nbsp;<p>x</p>\n"} {
		if code, _, errs := runCLI(t, "---\nt: x\n---\n"+body, "--check"); code != 1 {
			t.Errorf("--check on %q: exit %d, %q; want 1", body, code, errs)
		}
	}
	// --from markdown reads Markdown syntax in it, --from html does not.
	html := "*x* <i>y</i>\n"
	if _, out, _ := runCLI(t, html, "--from", "markdown"); out != "*x* *y*\n" {
		t.Errorf("--from markdown: %q", out)
	}
	if _, out, _ := runCLI(t, html, "--from", "html"); out != "\\*x* *y*\n" {
		t.Errorf("--from html: %q", out)
	}
	if code, _, errs := runCLI(t, html, "--from", "docx"); code != 2 || !strings.Contains(errs, "--from") {
		t.Errorf("bad --from: exit %d, err %q", code, errs)
	}
}

func TestStats(t *testing.T) {
	code, _, errs := runCLI(t, read(t, "testdata/example.md"), "--stats")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"hidden-text", "ad-comment-span", "block-edges"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stats lack %s:\n%s", want, errs)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(errs), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "hidden-text" && f[len(f)-1] != "3" {
			t.Errorf("hidden-text fired %s times, want 3", f[len(f)-1])
		}
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := runCLI(t, "", "--version"); code != 0 || !strings.HasPrefix(out, "mdclean version ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	code, out, _ := runCLI(t, "", "--help")
	if code != 0 || !strings.Contains(out, "mdclean < post.md > clean.md") || !strings.Contains(out, "--no-default-rules") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "", "--no-such-flag"); code != 2 || !strings.Contains(errs, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, %q", code, errs)
	}
}

func TestExampleRulesLoadAndWork(t *testing.T) {
	post := "---\nt: x\n---\n<p><img src=\"https://cors.zfour.workers.dev/?http://img.example.com/a.jpg\"></p>\n"
	code, out, errs := runCLI(t, post, "--rules", "examples/strip-image-proxies.yaml")
	if code != 0 || out != "---\nt: x\n---\n\n![](http://img.example.com/a.jpg)\n" {
		t.Errorf("exit %d, err %q, out %q", code, errs, out)
	}
	_, out, _ = runCLI(t, post)
	if !strings.Contains(out, "cors.zfour.workers.dev/?http://img.example.com/a.jpg") {
		t.Errorf("the default rules must keep the proxy: %q", out)
	}
}

// A directory under which the walk finds no post fails the run: a
// mistyped path or a wrong --ext must not pass as "all clean". Files named
// as arguments are always taken, so they never do.
func TestNoPostsFound(t *testing.T) {
	empty := t.TempDir()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "a.md"), []byte("---\nt: x\n---\n\nclean\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"--check", "-q", empty}, 2, empty + ": no posts found\n"},
		{[]string{"--check", "-q", full, empty}, 2, empty + ": no posts found\n"},
		{[]string{"--check", "-q", "--ext", "txt", full}, 2, full + ": no posts found\n"},
		{[]string{"--check", "-q", full}, 0, ""},
		{[]string{"--check", "-q", filepath.Join(full, "a.md")}, 0, ""},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != c.code || errs != c.errs {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", c.args, code, errs, c.code, c.errs)
		}
	}
}

// The version is the module's when installed at a version, else the
// commit a clone's build stamps, else "dev"; -ldflags -X main.version wins.
func TestBuildVersion(t *testing.T) {
	if got := buildVersion(); got == "" {
		t.Fatal("empty version")
	}
	defer func(v string) { version = v }(version)
	version = "v9.9.9"
	if got := buildVersion(); got != "v9.9.9" {
		t.Errorf("set version: %q", got)
	}
}

// --stats names the posts whose output holds template syntax.
func TestStatsNamesTemplatePosts(t *testing.T) {
	code, _, errs := runCLI(t, "", "--stats", "-q", filepath.Join("testdata", "templates"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"attributes.md", "hostile.md", "live.md"} {
		if !strings.Contains(errs, "\n  "+filepath.Join("testdata", "templates", name)+"\n") {
			t.Errorf("--stats does not name %s:\n%s", name, errs)
		}
	}
}

// --color always colours a diff even into a pipe, never and auto (not a
// terminal) do not, and a bad value is an error.
func TestColorFlag(t *testing.T) {
	dir := t.TempDir()
	post := filepath.Join(dir, "a.md")
	if err := os.WriteFile(post, []byte("---\nt: x\n---\n<p>a<script>x</script></p>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for flag, colour := range map[string]bool{"--color=always": true, "--color=never": false, "--color=auto": false} {
		_, out, _ := runCLI(t, "", "-d", "-q", flag, post)
		if strings.Contains(out, "\x1b[") != colour {
			t.Errorf("%s: colour %v, want %v:\n%q", flag, !colour, colour, out)
		}
	}
	if code, _, errs := runCLI(t, "", "-d", "--color=bogus", post); code != 2 || !strings.Contains(errs, "--color: want auto, always or never") {
		t.Errorf("bad --color: exit %d, %q", code, errs)
	}
}

// --force-exclude skips named files the config, an ignore file, or a
// hidden directory on the way excludes, as a directory walk would; without
// it, a named file is always taken.
func TestForceExclude(t *testing.T) {
	dir := t.TempDir()
	dirty := "---\nt: x\n---\n<p>a<script>x</script></p>\n"
	for _, f := range []string{"posts/a.md", "drafts/b.md", ".hidden/c.md", "posts/skip.md", "README.md", "posts/sub/d.md"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte(dirty), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "posts", ".mdcleanignore"), []byte("skip.md\nsub/\n"), 0o644)
	os.WriteFile(filepath.Join(dir, ".mdclean.yaml"), []byte("exclude: ['drafts/**', 'README.md']\n"), 0o644)
	args := []string{"posts/a.md", "drafts/b.md", ".hidden/c.md", "posts/skip.md", "README.md", "posts/sub/d.md"}
	code, out, _ := inDir(t, dir, append([]string{"-l", "--force-exclude"}, args...)...)
	if code != 1 || out != "posts/a.md\n" {
		t.Errorf("--force-exclude: exit %d, out %q", code, out)
	}
	code, out, _ = inDir(t, dir, append([]string{"-l"}, args...)...)
	if code != 1 || strings.Count(out, "\n") != len(args) {
		t.Errorf("named files without --force-exclude: exit %d, out %q", code, out)
	}
	// An ignore file that cannot be read is an error, as in a walk.
	os.Remove(filepath.Join(dir, "posts", ".mdcleanignore"))
	os.Symlink("nowhere", filepath.Join(dir, "posts", ".mdcleanignore"))
	code, _, errs := inDir(t, dir, "-l", "--force-exclude", "posts/a.md")
	if code != 2 || !strings.Contains(errs, "cannot read this ignore file") {
		t.Errorf("unreadable ignore file: exit %d, %q", code, errs)
	}
}

// Help reads one line per flag without "(default: false)" noise, `mdclean
// help` is help, and a mistyped flag gets a suggestion.
func TestHelpAndSuggestions(t *testing.T) {
	code, out, _ := runCLI(t, "", "--help")
	if code != 0 || strings.Contains(out, "(default: false)") || strings.Contains(out, "(default: 0)") || !strings.Contains(out, "--force-exclude") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	if code, out2, _ := runCLI(t, "", "help"); code != 0 || out2 != out {
		t.Errorf("help: exit %d, not the --help text", code)
	}
	code, _, errs := runCLI(t, "", "--chek", "x.md")
	if code != 2 || !strings.Contains(errs, "did you mean --check?") {
		t.Errorf("--chek: exit %d, %q", code, errs)
	}
}

// -d's patch applies with git apply whatever the names: a tab, a quote, a
// backslash, CJK, and absolute arguments below the working directory.
func TestDiffAppliesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	names := []string{"tab\there.md", `quo"te.md`, `back\slash.md`, "中文 名.md", "sub/plain.md"}
	dirty := "---\nt: x\n---\n<p>a<script>x</script></p>\n"
	var args []string
	for _, n := range names {
		p := filepath.Join(dir, n)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(dirty), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p) // absolute
	}
	code, patch, errs := inDir(t, dir, append([]string{"-d", "-q", "--color=never"}, args...)...)
	if code != 1 {
		t.Fatalf("-d: exit %d: %s", code, errs)
	}
	if strings.Contains(patch, "a//") {
		t.Errorf("an absolute path in a header:\n%s", patch)
	}
	os.WriteFile(filepath.Join(dir, "p.diff"), []byte(patch), 0o644)
	cmd := exec.Command("git", "apply", "--unsafe-paths", "p.diff")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\n%s", err, out, patch)
	}
	for _, n := range names {
		code, _, _ := inDir(t, dir, "--check", "-q", n)
		if code != 0 {
			t.Errorf("%q is not clean after git apply", n)
		}
	}
}

// --format json gives one object per post; --format github gives
// annotations GitHub Actions shows on the files, properties escaped.
func TestReportFormats(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dirty, a:b.md", "---\nt: x\n---\n<p>a<script>x</script></p>\n")
	write("clean.md", "---\nt: x\n---\n\nclean\n")
	write("warn.md", "---\ncategories: [掘金\n---\n<p>x</p>\n")
	code, out, _ := inDir(t, dir, "--check", "-q", "--format", "json", "clean.md", "dirty, a:b.md", "gone.md", "warn.md")
	want := `{"path":"clean.md","changed":false}
{"path":"dirty, a:b.md","changed":true}
{"path":"gone.md","changed":false,"error":"no such file or directory"}
{"path":"warn.md","changed":true,"warning":"front matter is not valid YAML (yaml: line 1: did not find expected ',' or ']'); kept as is, when: conditions on it do not match"}
`
	if code != 2 || out != want {
		t.Errorf("json: exit %d\n%s\nwant\n%s", code, out, want)
	}
	code, out, _ = inDir(t, dir, "--check", "-q", "--format", "github", "clean.md", "dirty, a:b.md", "gone.md")
	want = "::error file=dirty%2C a%3Ab.md::would change when cleaned (mdclean -d shows how)\n::error file=gone.md::no such file or directory\n"
	if code != 2 || out != want {
		t.Errorf("github: exit %d\n%s\nwant\n%s", code, out, want)
	}
	if code, _, errs := inDir(t, dir, "--check", "--format", "xml", "clean.md"); code != 2 || !strings.Contains(errs, "--format: want text, json or github") {
		t.Errorf("bad --format: exit %d, %q", code, errs)
	}
}

// On a terminal, the progress bar never shares a line with a report: run
// through script(1), which gives the run a pseudo-terminal, every "would
// change" line reads as itself once carriage returns are played back.
func TestProgressBarLeavesLinesAlone(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script (util-linux) is not installed")
	}
	bin := filepath.Join(t.TempDir(), "mdclean")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	for i := range 400 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%03d.md", i)), []byte("---\nt: x\n---\n<p>a<script>x</script></p>\n"), 0o644)
	}
	out, _ := exec.Command("script", "-qec", bin+" --check "+dir, "/dev/null").Output()
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		// Play the line back as a terminal shows it.
		var screen []rune
		col := 0
		for _, r := range line {
			if r == '\r' {
				col = 0
				continue
			}
			if col < len(screen) {
				screen[col] = r
			} else {
				screen = append(screen, r)
			}
			col++
		}
		shown := strings.TrimRight(string(screen), " ")
		if strings.Contains(shown, "would change") && !strings.Contains(shown, "files scanned") {
			seen++
			if !strings.HasPrefix(shown, dir) || !strings.HasSuffix(shown, ": would change") || strings.Contains(shown, "cleaning") {
				t.Fatalf("a report shares its line with the bar: %q", shown)
			}
		}
	}
	if seen != 400 {
		t.Errorf("%d reports read back, want 400", seen)
	}
}

// Fixes from a review of the CLI: --format leaves printed posts alone, an
// empty directory is a record in json, a post named through a link counts
// for its directory, -d names the file a link leads to, a removed line
// that starts with "--" is not coloured as a header, a swap of two letters
// is a near miss.
func TestCLIReviewFixes(t *testing.T) {
	dirty := "---\nt: x\n---\n<p>a<script>x</script></p>\n"
	code, out, _ := runCLI(t, dirty, "--format", "json")
	if code != 0 || out != "---\nt: x\n---\n\na\n" {
		t.Errorf("filter with --format json: exit %d, out %q", code, out)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "posts"), 0o755)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	os.WriteFile(filepath.Join(dir, "posts", "a.md"), []byte(dirty), 0o644)
	os.WriteFile(filepath.Join(dir, "other", "x.md"), []byte(dirty), 0o644)
	os.Symlink("posts/a.md", filepath.Join(dir, "link.md"))
	os.Symlink("../other", filepath.Join(dir, "posts", "lnk"))
	_, out, _ = inDir(t, dir, "--check", "-q", "--format", "json", "empty")
	if out != `{"path":"empty","changed":false,"error":"no posts found"}`+"\n" {
		t.Errorf("empty dir in json: %q", out)
	}
	if code, _, errs := inDir(t, dir, "-l", "-q", "link.md", "posts"); code != 1 || strings.Contains(errs, "no posts found") {
		t.Errorf("a post named through a link: exit %d, %q", code, errs)
	}
	_, patch, _ := inDir(t, dir, "-d", "-q", "--color=never", "posts/lnk/../other/x.md")
	if !strings.HasPrefix(patch, "--- a/other/x.md\n") {
		t.Errorf("-d through a link names %q", strings.SplitN(patch, "\n", 2)[0])
	}
	_, patch, _ = inDir(t, dir, "-d", "-q", "--color=always", "posts/a.md")
	for _, line := range strings.Split(patch, "\n") {
		if strings.Contains(line, "<script>") && strings.HasPrefix(line, "\x1b[1m") {
			t.Errorf("a removed line coloured as a header: %q", line)
		}
	}
	if _, _, errs := runCLI(t, "", "--wirte", "x.md"); !strings.Contains(errs, "did you mean --write?") {
		t.Errorf("--wirte: %q", errs)
	}
}
