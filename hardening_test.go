package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFiftyMegabytePost cleans a 50 MB post with the built binary and
// checks its peak memory against ten times the input.
func TestFiftyMegabytePost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and cleans 50 MB")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "big.md")
	para := `<p style="text-indent:2em">　　一段很长的测试文字，用来检查大文件的内存使用，夹着 some English words 和数字 12345。<font color="#F8F8F8">Mitbbs.com</font><br></p><br>` + "\n"
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("---\ntitle: big\n---\n<div>\n")
	size := 0
	for size < 50<<20 {
		n, _ := f.WriteString(para)
		size += n
	}
	f.WriteString("</div>\n")
	f.Close()

	cmd := exec.Command(bin, "-q", "-o", filepath.Join(dir, "out"), path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // Linux reports KiB
	t.Logf("50 MB post: peak RSS %d MB", rss>>20)
	if rss > 10*int64(size) {
		t.Errorf("peak RSS %d MB is more than ten times the %d MB post", rss>>20, size>>20)
	}
	out, err := os.ReadFile(filepath.Join(dir, "out", "big.md"))
	if err != nil || strings.Contains(string(out), "Mitbbs") || len(out) < 20<<20 {
		t.Errorf("output: %d bytes, err %v", len(out), err)
	}
}

func TestFileSystemOddities(t *testing.T) {
	dir := tree(t, map[string]string{
		"ok.md":     dirtyPost,
		"binary.md": "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	})
	os.Symlink("loop.md", filepath.Join(dir, "loop.md"))
	os.Mkdir(filepath.Join(dir, "dir.md"), 0o755)

	// A binary file is never touched, and is an error: left as it is, it is
	// not sanitised either, and --check must not call it clean.
	code, _, errs := inDir(t, dir, "-w", "-q", "binary.md", "ok.md")
	if code != 2 || errs != "binary.md: not a text post (NUL byte at offset 8); not cleaned\n" {
		t.Errorf("binary: exit %d, %q", code, errs)
	}
	if read(t, filepath.Join(dir, "binary.md")) != "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" {
		t.Error("binary file changed")
	}
	// A symlink loop named on the command line is one error line.
	code, _, errs = inDir(t, dir, "-l", "loop.md")
	if code != 2 || errs != "loop.md: too many levels of symbolic links\nmdclean: 1 file scanned: 0 would change, 0 unchanged, 1 failed\n" {
		t.Errorf("loop: exit %d, %q", code, errs)
	}
	// An empty directory named like a post is walked, and holds nothing:
	// a run that finds no post fails.
	code, _, errs = inDir(t, dir, "-l", "dir.md")
	if code != 2 || errs != "dir.md: no posts found\nmdclean: 0 files scanned: 0 would change, 0 unchanged, 0 failed\n" {
		t.Errorf("dir.md: exit %d, %q", code, errs)
	}
	// An unreadable file is an error, the others are still cleaned. Root
	// reads every file, so this case only runs for other users.
	if os.Geteuid() != 0 {
		os.WriteFile(filepath.Join(dir, "secret.md"), []byte(dirtyPost), 0o000)
		code, _, errs = inDir(t, dir, "-l", "secret.md")
		if code != 2 || !strings.HasPrefix(errs, "secret.md: permission denied\n") {
			t.Errorf("unreadable: exit %d, %q", code, errs)
		}
	}
}

func TestEscapeTemplatesFlag(t *testing.T) {
	post := "---\nt: x\n---\n<p>Use {{ value }} in templates.</p>\n"
	_, out, errs := runCLI(t, post, "--stats")
	if out != "---\nt: x\n---\n\nUse {{ value }} in templates.\n" || !strings.Contains(errs, "templates") || !hasStat(errs, "templates", "1") {
		t.Errorf("--stats: out %q\n%s", out, errs)
	}
	_, out, errs = runCLI(t, post, "--stats", "--escape-templates")
	if out != "---\nt: x\n---\n\nUse {{ \"{{\" }} value }} in templates.\n" || !hasStat(errs, "templates", "0") {
		t.Errorf("--escape-templates: out %q\n%s", out, errs)
	}
}

// hasStat reports a --stats line NAME COUNT ...
func hasStat(stats, name, count string) bool {
	for _, line := range strings.Split(stats, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == name && f[1] == count {
			return true
		}
	}
	return false
}
