package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/mdclean/mdclean/batch"
	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

// postTree is a tree of n distinct dirty posts and what each cleans to.
type postTree struct {
	dir         string
	paths       []string
	olds, clean [][]byte
}

func newPostTree(t *testing.T, n, perDir int) *postTree {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := clean.New(clean.Options{Rules: set})
	pt := &postTree{dir: t.TempDir()}
	for i := range n {
		p := filepath.Join(pt.dir, fmt.Sprintf("d%02d", i/perDir), fmt.Sprintf("post-%04d.md", i))
		old := fmt.Appendf(nil, "---\ntitle: 'post %d'\n---\n<div><p>Post %d says its own thing.<font color=\"#F8F8F8\">Mitbbs.com</font><br></p><p><br></p></div>\n", i, i)
		res, err := c.Clean("", old)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, old, 0o644); err != nil {
			t.Fatal(err)
		}
		pt.paths, pt.olds, pt.clean = append(pt.paths, p), append(pt.olds, old), append(pt.clean, res.Output)
	}
	return pt
}

// check fails unless every post holds one of the texts ok allows it.
func (pt *postTree) check(t *testing.T, ok func(i int, got []byte) bool) {
	t.Helper()
	bad := 0
	for i, p := range pt.paths {
		got, err := os.ReadFile(p)
		if err != nil || !ok(i, got) {
			if bad++; bad <= 5 {
				t.Errorf("%s: %q (err %v)", filepath.Base(p), firstLine(got), err)
			}
		}
	}
	if temps := tempFiles(pt.dir); len(temps) > 0 {
		t.Errorf("%d temp files left, e.g. %s", len(temps), temps[0])
	}
}

// tempFiles lists the mdclean temp files below dir.
func tempFiles(dir string) []string {
	var temps []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && batch.IsTempName(d.Name()) {
			temps = append(temps, p)
		}
		return nil
	})
	return temps
}

func firstLine(b []byte) string {
	s := string(b)
	if i := strings.Index(s, "says"); i >= 0 {
		return s[max(0, i-20):i]
	}
	return s[:min(len(s), 40)]
}

// Two -w runs over one tree at once (two hooks, a cron job and a person)
// end with every post holding its own cleaned text, and no errors.
func TestConcurrentWriteRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	pt := newPostTree(t, 2000, 100)
	var wg sync.WaitGroup
	outs := make([]string, 2)
	codes := make([]int, 2)
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(bin, "-w", "-q", pt.dir)
			out, _ := cmd.CombinedOutput()
			outs[r], codes[r] = string(out), cmd.ProcessState.ExitCode()
		}()
	}
	wg.Wait()
	for r := range 2 {
		if codes[r] != 0 || outs[r] != "" {
			t.Errorf("run %d: exit %d, output %.300q", r, codes[r], outs[r])
		}
	}
	pt.check(t, func(i int, got []byte) bool { return bytes.Equal(got, pt.clean[i]) })
}

// Posts renamed over while a run cleans them (an editor's save, git
// checkout, a scraper's atomic write) keep the other writer's text or its
// cleaned form; no post ever gets another post's text.
func TestRenameOverPostsDuringRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	pt := newPostTree(t, 1500, 1500) // one directory: the old bug's worst case
	set, _ := rules.Default()
	c := clean.New(clean.Options{Rules: set})
	saved := make([][]byte, len(pt.paths))
	savedClean := make([][]byte, len(pt.paths))
	for i := range pt.paths {
		saved[i] = bytes.Replace(pt.olds[i], []byte("says its own thing"), []byte("was saved by an editor"), 1)
		res, _ := c.Clean("", saved[i])
		savedClean[i] = res.Output
	}
	cmd := exec.Command(bin, "-w", "-q", pt.dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(pt.paths); i += 3 {
			tmp := pt.paths[i] + ".swp"
			os.WriteFile(tmp, saved[i], 0o644)
			os.Rename(tmp, pt.paths[i])
		}
	}()
	cmd.Wait()
	<-done
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if line != "" && !strings.HasSuffix(line, ": changed while cleaning; not rewritten") {
			t.Errorf("unexpected stderr line %q", line)
		}
	}
	lost := 0
	pt.check(t, func(i int, got []byte) bool {
		if i%3 != 0 {
			return bytes.Equal(got, pt.clean[i])
		}
		if bytes.Equal(got, pt.clean[i]) {
			// The save landed between the last look and the rename: the
			// microseconds that a rename-based writer cannot close.
			lost++
			return true
		}
		return bytes.Equal(got, saved[i]) || bytes.Equal(got, savedClean[i])
	})
	t.Logf("%d of %d saves landed in the window between the last look and the rename", lost, (len(pt.paths)+2)/3)
}

// A run that is interrupted finishes the posts it is writing, removes its
// temp files and exits 130; every post is wholly old or wholly new.
func TestInterruptLeavesNoTempFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	pt := newPostTree(t, 1500, 100)
	full := time.Now()
	cmd := exec.Command(bin, "-q", "-o", filepath.Join(t.TempDir(), "out"), pt.dir)
	cmd.Run() // a run of the same size, to time the interrupt
	elapsed := time.Since(full)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for i, p := range pt.paths {
			os.WriteFile(p, pt.olds[i], 0o644)
		}
		cmd := exec.Command(bin, "-w", "-q", pt.dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(elapsed / 3)
		cmd.Process.Signal(sig)
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != 128+int(sig) {
			t.Errorf("%v: exit %d, want %d; stderr %q", sig, code, 128+int(sig), stderr.String())
		}
		if !strings.Contains(stderr.String(), "mdclean: interrupted") {
			t.Errorf("%v: stderr %q", sig, stderr.String())
		}
		sawOld, sawNew := 0, 0
		pt.check(t, func(i int, got []byte) bool {
			switch {
			case bytes.Equal(got, pt.olds[i]):
				sawOld++
			case bytes.Equal(got, pt.clean[i]):
				sawNew++
			default:
				return false
			}
			return true
		})
		if sawOld == 0 || sawNew == 0 {
			t.Logf("%v: the interrupt did not land midway (old %d, new %d)", sig, sawOld, sawNew)
		}
	}
}

// Owner, group and extended attributes stay with their post.
func TestIdentityStaysWithItsPost(t *testing.T) {
	pt := newPostTree(t, 40, 40)
	root := os.Geteuid() == 0
	if !root {
		t.Log("not root: owners and groups are not varied (CI runs this as root)")
	}
	for i, p := range pt.paths {
		if root {
			if err := os.Chown(p, 1000+i%5, 2000+i%7); err != nil {
				t.Fatal(err)
			}
		}
		if err := unix.Setxattr(p, "user.mdclean-test", []byte(fmt.Sprint("post ", i)), 0); err != nil {
			t.Skipf("extended attributes not supported here: %v", err)
		}
	}
	code, _, errs := inDir(t, pt.dir, "-w", "-q", "-j", "3", ".")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for i, p := range pt.paths {
		fi, _ := os.Stat(p)
		st := fi.Sys().(*syscall.Stat_t)
		if root && (st.Uid != uint32(1000+i%5) || st.Gid != uint32(2000+i%7)) {
			t.Errorf("%s: owner %d:%d, want %d:%d", p, st.Uid, st.Gid, 1000+i%5, 2000+i%7)
		}
		buf := make([]byte, 64)
		n, err := unix.Getxattr(p, "user.mdclean-test", buf)
		if err != nil || string(buf[:n]) != fmt.Sprint("post ", i) {
			t.Errorf("%s: xattr %q, %v", p, buf[:max(n, 0)], err)
		}
	}
	pt.check(t, func(i int, got []byte) bool { return bytes.Equal(got, pt.clean[i]) })
}

// An unchanged post is only ever opened read-only: file watchers see no
// write, as with gofmt.
func TestUnchangedPostIsNotOpenedForWriting(t *testing.T) {
	dir := tree(t, map[string]string{"clean.md": cleanPost, "dirty.md": dirtyPost})
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Skip("no inotify:", err)
	}
	defer unix.Close(fd)
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_OPEN|unix.IN_CLOSE_WRITE|unix.IN_MODIFY|unix.IN_ATTRIB); err != nil {
		t.Skip("inotify watch:", err)
	}
	if code, _, errs := inDir(t, dir, "-w", "-q", "."); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	buf := make([]byte, 1<<16)
	n, _ := unix.Read(fd, buf)
	opened := false
	for off := 0; off+unix.SizeofInotifyEvent <= n; {
		ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
		name := strings.TrimRight(string(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+int(ev.Len)]), "\x00")
		off += unix.SizeofInotifyEvent + int(ev.Len)
		if name != "clean.md" {
			continue
		}
		if ev.Mask&unix.IN_OPEN != 0 {
			opened = true
		}
		if ev.Mask&(unix.IN_CLOSE_WRITE|unix.IN_MODIFY|unix.IN_ATTRIB) != 0 {
			t.Errorf("the unchanged post saw event %#x", ev.Mask)
		}
	}
	if !opened {
		t.Error("no open event seen for the unchanged post: the check cannot fail")
	}
}

func TestOverlappingArgumentsCleanEachPostOnce(t *testing.T) {
	dir := tree(t, map[string]string{"posts/a.md": dirtyPost, "posts/sub/b.md": dirtyPost, "posts/sub/c.md": cleanPost})
	os.Symlink("posts/sub/b.md", filepath.Join(dir, "link.md"))
	code, _, errs := inDir(t, dir, "-w", "posts", "posts/sub", "posts/sub/b.md", "link.md")
	if code != 0 || errs != "mdclean: 3 files scanned: 2 changed, 1 unchanged, 0 failed\n" {
		t.Errorf("-w DIR DIR/sub: exit %d, %q", code, errs)
	}
	code, out, _ := inDir(t, dir, "-l", "posts", "./posts/sub", filepath.Join(dir, "posts"))
	if code != 0 || out != "" {
		t.Errorf("-l after: exit %d, %q", code, out)
	}
	for _, p := range []string{"posts/a.md", "posts/sub/b.md", "posts/sub/c.md"} {
		if read(t, filepath.Join(dir, p)) != cleanPost {
			t.Errorf("%s not clean", p)
		}
	}
}

func TestOutDirThroughLinks(t *testing.T) {
	dir := tree(t, map[string]string{"src/a.md": dirtyPost, "src/sub/b.md": dirtyPost})
	os.Symlink("src/sub", filepath.Join(dir, "out-link")) // the output is a link into the input
	os.Symlink("src", filepath.Join(dir, "src-link"))     // the input is named through a link
	for _, args := range [][]string{
		{"-o", "out-link", "src"},
		{"-o", "out-link/new", "src"},
		{"-o", "src/sub/out", "src-link"},
		{"-o", "src-link/x", "src"},
		{"-o", "src", "src/sub/b.md"}, // a named post inside the output folder
	} {
		code, _, errs := inDir(t, dir, args...)
		if code != 2 || !strings.Contains(errs, "the output folder and an input overlap") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	if read(t, filepath.Join(dir, "src/sub/b.md")) != dirtyPost || read(t, filepath.Join(dir, "src/a.md")) != dirtyPost {
		t.Error("an input post was written")
	}
}

func TestHardLinkedPostIsReportedNotSplit(t *testing.T) {
	dir := tree(t, map[string]string{"a.md": dirtyPost, "b.md": dirtyPost})
	if err := os.Link(filepath.Join(dir, "a.md"), filepath.Join(dir, "other-name.txt")); err != nil {
		t.Skip("no hard links:", err)
	}
	code, _, errs := inDir(t, dir, "-w", ".")
	want := "a.md: has 2 hard links; not rewritten (replacing it would split them)\n" +
		"mdclean: 2 files scanned: 1 changed, 0 unchanged, 1 failed\n"
	if code != 2 || errs != want {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, errs, want)
	}
	if read(t, filepath.Join(dir, "a.md")) != dirtyPost || read(t, filepath.Join(dir, "other-name.txt")) != dirtyPost {
		t.Error("the hard link was split or written")
	}
	if read(t, filepath.Join(dir, "b.md")) != cleanPost {
		t.Error("the other post was not cleaned")
	}
}

func TestUnreadableIgnoreFileIsAnError(t *testing.T) {
	dir := tree(t, map[string]string{"posts/a.md": dirtyPost, "posts/drafts/b.md": dirtyPost, "other/c.md": dirtyPost})
	// A directory cannot be read as a file, even by root.
	os.Mkdir(filepath.Join(dir, "posts/drafts/.mdcleanignore"), 0o755)
	code, _, errs := inDir(t, dir, "-w", "posts", "other")
	want := "posts/drafts/.mdcleanignore: cannot read this ignore file (not a regular file); posts/drafts not walked\n" +
		"mdclean: 3 files scanned: 2 changed, 0 unchanged, 1 failed\n"
	if code != 2 || errs != want {
		t.Errorf("exit %d, stderr\n%s\nwant\n%s", code, errs, want)
	}
	if read(t, filepath.Join(dir, "posts/drafts/b.md")) != dirtyPost {
		t.Error("a post under the unreadable ignore file was cleaned")
	}
	// The working directory's ignore file governs every directory walk.
	os.Mkdir(filepath.Join(dir, ".mdcleanignore"), 0o755)
	os.WriteFile(filepath.Join(dir, "other/c.md"), []byte(dirtyPost), 0o644)
	code, _, errs = inDir(t, dir, "-w", "other")
	if code != 2 || !strings.HasPrefix(errs, ".mdcleanignore: cannot read this ignore file") || read(t, filepath.Join(dir, "other/c.md")) != dirtyPost {
		t.Errorf("unreadable ./.mdcleanignore: exit %d, %q", code, errs)
	}
}

// A directory named through a symbolic link is walked; one named with ".."
// after a link is the directory the system resolves, not a lexical guess.
func TestDirectoryArgumentsThroughLinks(t *testing.T) {
	dir := tree(t, map[string]string{"real/a.md": dirtyPost, "work/x.md": mdPost, "elsewhere/deep/x.md": dirtyPost, "elsewhere/deep/posts/y.md": dirtyPost})
	os.Symlink("real", filepath.Join(dir, "link"))
	code, _, errs := inDir(t, dir, "--check", "link")
	if code != 1 || errs != "link/a.md: would change\nmdclean: 1 file scanned: 1 would change, 0 unchanged, 0 failed\n" {
		t.Errorf("--check link: exit %d, %q", code, errs)
	}
	os.Symlink("../elsewhere/deep/posts", filepath.Join(dir, "work/posts"))
	code, out, _ := inDir(t, filepath.Join(dir, "work"), "-l", "posts/..")
	if code != 1 || out != "posts/../posts/y.md\nposts/../x.md\n" {
		t.Errorf("-l posts/..: exit %d, %q", code, out)
	}
	inDir(t, filepath.Join(dir, "work"), "-w", "posts/..")
	if read(t, filepath.Join(dir, "elsewhere/deep/x.md")) != cleanPost || read(t, filepath.Join(dir, "work/x.md")) != mdPost {
		t.Error("-w posts/.. cleaned the wrong x.md")
	}
}

// -o never writes through a link inside the output folder, and never
// lets two posts' copies land on one file.
func TestOutDirWritesOnlyBelowItself(t *testing.T) {
	dir := tree(t, map[string]string{"in/s1/a.md": dirtyPost, "in/s2/b.md": dirtyPost, "other/s1/a.md": dirtyPost, "out/keep": ""})
	os.Symlink("../in/s1", filepath.Join(dir, "out/s1"))
	code, _, errs := inDir(t, dir, "-q", "-o", "out", "in")
	if code != 2 || !strings.HasPrefix(errs, "in/s1/a.md: out/s1: ") {
		t.Errorf("-o with a link inside: exit %d, %q", code, errs)
	}
	if read(t, filepath.Join(dir, "in/s1/a.md")) != dirtyPost {
		t.Error("an input post was written through a link in the output folder")
	}
	if read(t, filepath.Join(dir, "out/s2/b.md")) != cleanPost {
		t.Error("the other copy was not written")
	}
	os.Remove(filepath.Join(dir, "out/s1"))
	code, _, errs = inDir(t, dir, "-q", "-o", "out", "in", "other")
	if code != 2 || errs != "other/s1/a.md: its copy out/s1/a.md would overwrite the copy of in/s1/a.md; not written\n" {
		t.Errorf("colliding copies: exit %d, %q", code, errs)
	}
}

func TestFIFOsAndDanglingIgnoreLinks(t *testing.T) {
	dir := tree(t, map[string]string{"a.md": dirtyPost, "c/p.md": dirtyPost})
	if err := unix.Mkfifo(filepath.Join(dir, "f.md"), 0o644); err != nil {
		t.Skip("no FIFOs:", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, _, errs := inDir(t, dir, "-l", "f.md", "a.md")
		if code != 2 || !strings.HasPrefix(errs, "f.md: not a regular file\n") {
			t.Errorf("a FIFO named: exit %d, %q", code, errs)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO named on the command line hangs the run")
	}
	os.Symlink("../nowhere", filepath.Join(dir, "c", ".mdcleanignore"))
	code, out, errs := inDir(t, dir, "-l", "c")
	if code != 2 || out != "" || !strings.HasPrefix(errs, "c/.mdcleanignore: cannot read this ignore file (a link to nothing); c not walked\n") {
		t.Errorf("a dangling ignore link: exit %d, %q, %q", code, out, errs)
	}
}

// Any -w or -o run that writes into a directory removes the temp files a
// killed run left there, also for posts named one by one (pre-commit).
func TestStaleTempFilesGoWhereverARunWrites(t *testing.T) {
	dir := tree(t, map[string]string{"posts/a.md": dirtyPost, "posts/.a.md.mdclean-2147483647-ab.tmp": "stale", "out/.a.md.mdclean-2147483647-cd.tmp": "stale"})
	if code, _, errs := inDir(t, dir, "-q", "-o", "out", "posts/a.md"); code != 0 {
		t.Fatalf("-o: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "out/.a.md.mdclean-2147483647-cd.tmp")); err == nil {
		t.Error("-o left a stale temp file in the output folder")
	}
	if code, _, errs := inDir(t, dir, "-q", "-w", "posts/a.md"); code != 0 {
		t.Fatalf("-w: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "posts/.a.md.mdclean-2147483647-ab.tmp")); err == nil {
		t.Error("-w on a named post left a stale temp file beside it")
	}
}

// A run keeps a bounded number of descriptors, however many directories it
// writes into: a tree of page bundles under a low hard limit is cleaned.
func TestManyDirectoriesUnderALowDescriptorLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("post/p%03d/index.md", i)] = dirtyPost
	}
	dir := tree(t, files)
	for _, mode := range [][]string{{"-w"}, {"-o", filepath.Join(t.TempDir(), "out")}} {
		args := append(append([]string{"-c", `ulimit -n 128 && exec "$0" "$@"`, bin, "-q"}, mode...), filepath.Join(dir, "post"))
		cmd := exec.Command("sh", args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%v under ulimit -n 128: %v\n%.500s", mode, err, out)
		}
	}
	for p := range files {
		if read(t, filepath.Join(dir, p)) != cleanPost {
			t.Fatalf("%s not clean", p)
		}
	}
}

// Ignore patterns and config globs see one tree however it is spelled: the
// working directory through a link, the argument without, and names that
// merely start with "..".
func TestIgnoresThroughLinksAndDotDotNames(t *testing.T) {
	dir := tree(t, map[string]string{
		"site/.mdcleanignore":       "posts/sub/\n",
		"site/posts/a.md":           dirtyPost,
		"site/posts/..x.md":         dirtyPost,
		"site/posts/sub/b.md":       dirtyPost,
		"site/posts/.mdcleanignore": "..x.md\n",
	})
	link := filepath.Join(dir, "link")
	os.Symlink(filepath.Join(dir, "site"), link)
	old, _ := os.Getwd()
	defer os.Chdir(old)
	os.Chdir(link)
	t.Setenv("PWD", link) // as a shell that cd'ed through the link says
	code, out, errs := runCLI(t, "", "-l", filepath.Join(dir, "site", "posts"))
	want := filepath.Join(dir, "site", "posts", "a.md") + "\n"
	if code != 1 || out != want {
		t.Errorf("exit %d, -l\n%s\nwant\n%s\n%s", code, out, want, errs)
	}
}
