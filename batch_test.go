package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

const (
	dirtyPost = "---\ntitle: dirty\n---\n<p>Text.<font color=\"#F8F8F8\">Mitbbs.com</font><br></p><p><br></p>\n"
	cleanPost = "---\ntitle: dirty\n---\n\nText.\n"
	mdPost    = "---\ntitle: markdown\n---\n\nAlready *clean*.\n"
)

// tree writes files (path -> content) under a new temp dir and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// inDir runs the CLI with dir as the working directory, so that paths in
// output are short and stable.
func inDir(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	old, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(old)
	return runCLI(t, "", args...)
}

func TestWriteInPlace(t *testing.T) {
	dir := tree(t, map[string]string{
		"posts/a.md":       dirtyPost,
		"posts/b.markdown": dirtyPost,
		"posts/c.md":       mdPost,
		"posts/notes.txt":  dirtyPost,
	})
	os.Chmod(filepath.Join(dir, "posts/a.md"), 0o600)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(filepath.Join(dir, "posts/c.md"), old, old)

	code, out, errs := inDir(t, dir, "-w", "posts")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if errs != "mdclean: 3 files scanned: 2 changed, 1 unchanged, 0 failed\n" {
		t.Errorf("summary %q", errs)
	}
	for p, want := range map[string]string{"posts/a.md": cleanPost, "posts/b.markdown": cleanPost, "posts/c.md": mdPost, "posts/notes.txt": dirtyPost} {
		if got := read(t, filepath.Join(dir, p)); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "posts/a.md")); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Join(dir, "posts/c.md")); !fi.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten: mtime %v", fi.ModTime())
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "posts"))
	if len(entries) != 4 {
		t.Errorf("temp files left behind: %v", entries)
	}
	// A second run finds nothing to do.
	if code, _, errs := inDir(t, dir, "-w", "posts"); code != 0 || !strings.Contains(errs, "0 changed, 3 unchanged") {
		t.Errorf("second run: exit %d, %q", code, errs)
	}
}

func TestListCheckDiff(t *testing.T) {
	dir := tree(t, map[string]string{"b.md": dirtyPost, "a/z.md": dirtyPost, "a.md": mdPost, "c.md": dirtyPost})

	code, out, errs := inDir(t, dir, "-l", ".")
	if code != 1 || out != "a/z.md\nb.md\nc.md\n" {
		t.Errorf("-l: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, errs = inDir(t, dir, "--check", "-q", "c.md", "a.md", "b.md")
	if code != 1 || out != "" || errs != "c.md: would change\nb.md: would change\n" {
		t.Errorf("--check: exit %d, out %q, err %q", code, out, errs)
	}
	code, out, _ = inDir(t, dir, "-d", "b.md")
	want := "--- a/b.md\n+++ b/b.md\n@@ -1,4 +1,5 @@\n ---\n title: dirty\n ---\n-<p>Text.<font color=\"#F8F8F8\">Mitbbs.com</font><br></p><p><br></p>\n+\n+Text.\n"
	if code != 1 || out != want {
		t.Errorf("-d: exit %d, out\n%s\nwant\n%s", code, out, want)
	}
	if read(t, filepath.Join(dir, "b.md")) != dirtyPost {
		t.Error("-l, --check or -d wrote a file")
	}
	// The diff applies with git apply -p1 and gives the cleaned post.
	if git, err := exec.LookPath("git"); err == nil {
		cmd := exec.Command(git, "apply", "-p1")
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("git apply: %v %s", err, b)
		} else if read(t, filepath.Join(dir, "b.md")) != cleanPost {
			t.Errorf("applied diff gives %q", read(t, filepath.Join(dir, "b.md")))
		}
	}
	// -l with -w lists what it wrote and succeeds.
	code, out, _ = inDir(t, dir, "-l", "-w", "-q", ".")
	if code != 0 || out != "a/z.md\nc.md\n" {
		t.Errorf("-l -w: exit %d, out %q", code, out)
	}
	code, _, errs = inDir(t, dir, "--check", ".")
	if code != 0 || errs != "mdclean: 4 files scanned: 0 would change, 4 unchanged, 0 failed\n" {
		t.Errorf("clean tree --check: exit %d, %q", code, errs)
	}
}

func TestWalkSkips(t *testing.T) {
	dir := tree(t, map[string]string{
		"keep.md":                                dirtyPost,
		".hidden/skip.md":                        dirtyPost,
		"node_modules/pkg/skip.md":               dirtyPost,
		"drafts/skip.md":                         dirtyPost,
		"sub/.mdcleanignore":                     "local-*.md\n",
		"sub/local-skip.md":                      dirtyPost,
		"sub/keep.md":                            dirtyPost,
		"other/local-keep.md":                    dirtyPost,
		".mdcleanignore":                         "drafts/\n",
		"x.md/inside.md":                         dirtyPost, // a directory named like a post
		"notes.txt":                              dirtyPost,
		"sub/.keep.md.mdclean-2147483647-1a.tmp": "stale", // its process is gone
		"sub/deeper/.a.md.mdclean-2147483647-2b.tmp": "stale",
	})
	os.Symlink(filepath.Join(dir, "keep.md"), filepath.Join(dir, "link.md"))
	os.Symlink(dir, filepath.Join(dir, "loop"))

	code, out, errs := inDir(t, dir, "-l", ".")
	want := "keep.md\nother/local-keep.md\nsub/keep.md\nx.md/inside.md\n"
	if code != 1 || out != want {
		t.Errorf("-l: exit %d, out\n%s\nwant\n%s\nerr %s", code, out, want, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub/.keep.md.mdclean-2147483647-1a.tmp")); err != nil {
		t.Error("-l removed a temp file; only -w runs clean up")
	}
	// --ext changes the endings; a named file is always taken.
	code, out, _ = inDir(t, dir, "-l", "--ext", "txt", ".", "drafts/skip.md")
	if code != 1 || out != "notes.txt\ndrafts/skip.md\n" {
		t.Errorf("--ext: exit %d, out %q", code, out)
	}
	// -w removes temp files a killed run left, and never takes them for posts.
	code, _, errs = inDir(t, dir, "-w", ".")
	if code != 0 || !strings.Contains(errs, "4 files scanned") {
		t.Errorf("-w: exit %d, %q", code, errs)
	}
	for _, p := range []string{"sub/.keep.md.mdclean-2147483647-1a.tmp", "sub/deeper/.a.md.mdclean-2147483647-2b.tmp"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("stale temp file %s left", p)
		}
	}
	if fi, err := os.Lstat(filepath.Join(dir, "link.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("symlink was replaced")
	}
}

func TestNamedSymlinkIsWrittenThrough(t *testing.T) {
	dir := tree(t, map[string]string{"real.md": dirtyPost})
	os.Symlink("real.md", filepath.Join(dir, "link.md"))
	if code, _, errs := inDir(t, dir, "-w", "link.md"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if fi, _ := os.Lstat(filepath.Join(dir, "link.md")); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if read(t, filepath.Join(dir, "real.md")) != cleanPost {
		t.Error("the link's target was not cleaned")
	}
}

func TestBadFilesDoNotStopTheRun(t *testing.T) {
	dir := tree(t, map[string]string{
		"a.md": dirtyPost,
		"b.md": "---\ntitle: never closed\n<p>x</p>\n",
		"c.md": dirtyPost,
		"r.md": dirtyPost,
	})
	os.Chmod(filepath.Join(dir, "r.md"), 0o444)
	code, _, errs := inDir(t, dir, "-w", ".", "missing.md")
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	want := "b.md: front matter opened on line 1 is never closed\n" +
		"r.md: file is read-only; not rewritten\n" +
		"missing.md: no such file or directory\n" +
		"mdclean: 5 files scanned: 2 changed, 0 unchanged, 3 failed\n"
	if errs != want {
		t.Errorf("stderr\n%s\nwant\n%s", errs, want)
	}
	if read(t, filepath.Join(dir, "a.md")) != cleanPost || read(t, filepath.Join(dir, "c.md")) != cleanPost {
		t.Error("good files around the bad ones were not cleaned")
	}
	if read(t, filepath.Join(dir, "r.md")) != dirtyPost {
		t.Error("read-only file was changed")
	}
}

func TestOutDir(t *testing.T) {
	dir := tree(t, map[string]string{"src/a.md": dirtyPost, "src/sub/b.md": mdPost, "one.md": dirtyPost})
	code, _, errs := inDir(t, dir, "-o", "out", "src", "one.md")
	if code != 0 || errs != "mdclean: 3 files scanned: 2 changed, 1 unchanged, 0 failed\n" {
		t.Fatalf("exit %d, %q", code, errs)
	}
	for p, want := range map[string]string{"out/a.md": cleanPost, "out/sub/b.md": mdPost, "out/one.md": cleanPost, "src/a.md": dirtyPost, "one.md": dirtyPost} {
		if got := read(t, filepath.Join(dir, p)); got != want {
			t.Errorf("%s = %q", p, got)
		}
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	os.Chtimes(filepath.Join(dir, "out/a.md"), old, old)
	inDir(t, dir, "-o", "out", "src")
	if fi, _ := os.Stat(filepath.Join(dir, "out/a.md")); !fi.ModTime().Equal(old) {
		t.Error("an identical mirror file was rewritten")
	}
	for _, out := range []string{"src", "src/sub/out", "."} {
		code, _, errs := inDir(t, dir, "-o", out, "src")
		if out == "." {
			code, _, errs = inDir(t, dir, "-o", "src/x", ".")
		}
		if code != 2 || !strings.Contains(errs, "the output folder and an input overlap") {
			t.Errorf("-o %s: exit %d, %q", out, code, errs)
		}
	}
}

func TestOrderIsTheSameWithAnyWorkers(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 60; i++ {
		name := filepath.Join(string(rune('a'+i%7)), strings.Repeat("p", 1+i%5)+string(rune('a'+i%26))+".md")
		files[name] = strings.Replace(dirtyPost, "Text.", "Text "+name+".", 1)
	}
	dir := tree(t, files)
	_, one, _ := inDir(t, dir, "-j", "1", "-d", ".")
	for _, j := range []string{"2", "8"} {
		_, many, _ := inDir(t, dir, "-j", j, "-d", ".")
		if many != one {
			t.Errorf("-j %s output differs from -j 1", j)
		}
	}
	_, print1, _ := inDir(t, dir, "-j", "1", ".")
	_, print8, _ := inDir(t, dir, "-j", "8", ".")
	if print1 != print8 || strings.Count(print1, "title: dirty") != 60 {
		t.Error("printing mode output depends on the number of workers")
	}
}

func TestStdinFilename(t *testing.T) {
	rulesFile := filepath.Join(t.TempDir(), "r.yaml")
	os.WriteFile(rulesFile, []byte("version: 1\nrules:\n  - name: news-only\n    description: d\n    select: p\n    text: '^Text'\n    when: {path: '^content/news/'}\n    action: remove\n"), 0o644)
	var out, errb bytes.Buffer
	code := run([]string{"mdclean", "--rules", rulesFile, "--stdin-filename", "content/news/x.md"}, strings.NewReader(dirtyPost), &out, &errb)
	if code != 0 || out.String() != "---\ntitle: dirty\n---\n" {
		t.Errorf("path condition on stdin: exit %d, out %q", code, out.String())
	}
	out.Reset()
	errb.Reset()
	run([]string{"mdclean", "--stdin-filename", "content/x.md"}, strings.NewReader("---\nx: 1\n"), &out, &errb)
	if errb.String() != "content/x.md: front matter opened on line 1 is never closed\n" {
		t.Errorf("stderr %q", errb.String())
	}
}

func TestModeConflicts(t *testing.T) {
	for _, args := range [][]string{{"-w"}, {"-w", "-"}, {"-o", "x"}, {"--check", "-w", "a.md"}, {"-j", "-1", "a.md"}} {
		code, out, errs := runCLI(t, dirtyPost, args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errs)
		}
	}
}

// An ignore file governs its own directory tree only: not a sibling walked
// after it, and the working directory's not a root above it.
func TestIgnoreFilesGovernTheirTreeOnly(t *testing.T) {
	dir := tree(t, map[string]string{
		"a/.mdcleanignore": "x.md\n", "a/x.md": dirtyPost, "a/deep/x.md": dirtyPost,
		"b/x.md": dirtyPost, "b/deep/x.md": dirtyPost,
		"site/.mdcleanignore": "*.md\n", "site/y.md": dirtyPost,
	})
	code, out, errs := inDir(t, dir, "-l", ".")
	if want := "b/deep/x.md\nb/x.md\n"; code != 1 || out != want {
		t.Errorf("-l .: exit %d, out %q, want %q (%s)", code, out, want, errs)
	}
	// Everything the walk meets is ignored: no post found is an error.
	code, out, errs = inDir(t, filepath.Join(dir, "site"), "-l", ".")
	if code != 2 || out != "" || !strings.HasPrefix(errs, ".: no posts found\n") {
		t.Errorf("-l . in site: exit %d, out %q (%s)", code, out, errs)
	}
	code, out, errs = inDir(t, filepath.Join(dir, "site"), "-l", "../b")
	if want := "../b/deep/x.md\n../b/x.md\n"; code != 1 || out != want {
		t.Errorf("-l ../b in site: exit %d, out %q, want %q (%s)", code, out, want, errs)
	}
}

// A walk skips what .gitignore files ignore, from the repository's root
// down, whether it starts at the root or below it; --no-ignore-vcs walks
// it all; --force-exclude applies them to named files.
func TestGitignoreHonoured(t *testing.T) {
	dir := tree(t, map[string]string{
		"content/public/a.md": dirtyPost, "content/posts/b.md": dirtyPost, "themes/t/c.md": dirtyPost,
		"content/posts/gen.md": dirtyPost, "notes/d.md": dirtyPost,
		".gitignore": "public/\n/themes/\n# a comment\n\n!notes/\n", "content/posts/.gitignore": "gen.md\n",
	})
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	for _, c := range []struct {
		cwd  string
		args []string
		want string
	}{
		{".", []string{"-l", "."}, "content/posts/b.md\nnotes/d.md\n"},
		{"content", []string{"-l", "."}, "posts/b.md\n"},
		{"content", []string{"-l", "--no-ignore-vcs", "."}, "posts/b.md\nposts/gen.md\npublic/a.md\n"},
		{"content", []string{"-l", "--force-exclude", "public/a.md", "posts/b.md", "posts/gen.md"}, "posts/b.md\n"},
		{"content", []string{"-l", "public/a.md"}, "public/a.md\n"}, // a named file is taken
	} {
		code, out, errs := inDir(t, filepath.Join(dir, c.cwd), c.args...)
		if code != 1 || out != c.want {
			t.Errorf("%s %v: exit %d, out %q, want %q (%s)", c.cwd, c.args, code, out, c.want, errs)
		}
	}
	// Outside a repository, .gitignore files above the walk do not count.
	os.Remove(filepath.Join(dir, ".git"))
	code, out, _ := inDir(t, filepath.Join(dir, "content"), "-l", ".")
	if code != 1 || out != "posts/b.md\npublic/a.md\n" {
		t.Errorf("outside a repository: exit %d, out %q", code, out)
	}
}

// The walk ignores what Git ignores, for the patterns posts trees use:
// nested files taking back what a parent ignores, bracket negation with
// "!", a byte-order mark, CRLF lines, and a "#" that is not in the first
// column. Compared with git itself when it is installed.
func TestGitignoreAgreesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := tree(t, map[string]string{
		"posts/a.md": dirtyPost, "posts/b.md": dirtyPost, "x/a.md": dirtyPost, "x/c.md": dirtyPost,
		"y/ #z.md": dirtyPost, "y/k.md": dirtyPost, "crlf/q.md": dirtyPost, "crlf/r.md": dirtyPost,
		".gitignore":       "\ufeffposts/*.md\nx/[!a].md\n #z.md\n",
		"posts/.gitignore": "!a.md\n",
		"crlf/.gitignore":  "q.md\r\nr.md\r",
	})
	git := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(git("ls-files", "-o", "--exclude-standard")), "\n") {
		if strings.HasSuffix(l, ".md") {
			want = append(want, strings.Trim(l, `"`))
		}
	}
	sort.Strings(want)
	_, out, errs := inDir(t, dir, "-l", ".")
	if got := strings.Fields(strings.ReplaceAll(strings.TrimSpace(out), " ", "_")); strings.Join(got, "\n") != strings.ReplaceAll(strings.Join(want, "\n"), " ", "_") {
		t.Errorf("mdclean walks\n%s\ngit keeps\n%s\n(%s)", out, strings.Join(want, "\n"), errs)
	}
}
