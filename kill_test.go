package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

var binary struct {
	once sync.Once
	path string
	err  error
}

// buildBinary builds mdclean once per test binary run, for the tests that
// need processes of their own (kills, signals, concurrent runs).
func buildBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "mdclean-test-bin")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "mdclean")
		if out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// killPost is a dirty post of about 10 KB; i makes each one different.
func killPost(i int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: 'post %d'\n---\n<div>", i)
	for p := 0; p < 30; p++ {
		fmt.Fprintf(&b, `<p style="text-indent:2em">　　Post %d, paragraph %d: the council met again to discuss the budget for the coming year.<font color="#F8F8F8">Mitbbs.com</font><br></p><br>`, i, p)
	}
	b.WriteString("</div>\n")
	return []byte(b.String())
}

// TestKillDuringWrite starts large -w runs, SIGKILLs each at a random moment,
// and checks that every post is byte for byte either its old or its new
// version; then a full run leaves every post new and no temp file behind.
func TestKillDuringWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it many times")
	}
	bin := buildBinary(t)
	const n = 400
	dir := t.TempDir()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := clean.New(clean.Options{Rules: set})
	olds := make([][]byte, n)
	news := make([][]byte, n)
	paths := make([]string, n)
	for i := range n {
		paths[i] = filepath.Join(dir, fmt.Sprintf("d%02d", i%10), fmt.Sprintf("post-%04d.md", i))
		olds[i] = killPost(i)
		res, err := c.Clean("", olds[i])
		if err != nil {
			t.Fatal(err)
		}
		news[i] = res.Output
		os.MkdirAll(filepath.Dir(paths[i]), 0o755)
	}
	reset := func() {
		for i, p := range paths {
			if err := os.WriteFile(p, olds[i], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Time a whole run to spread the kills over it.
	reset()
	start := time.Now()
	if out, err := exec.Command(bin, "-w", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("full run: %v %s", err, out)
	}
	full := time.Since(start)

	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	const kills = 20
	sawOld, sawNew := 0, 0
	for k := range kills {
		reset()
		cmd := exec.Command(bin, "-w", "-q", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(full))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		for i, p := range paths {
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("kill %d: %s: %v", k, p, err)
			}
			switch {
			case bytes.Equal(got, olds[i]):
				sawOld++
			case bytes.Equal(got, news[i]):
				sawNew++
			default:
				t.Fatalf("kill %d: %s is neither old nor new (%d bytes)", k, p, len(got))
			}
		}
	}
	t.Logf("%d kills over a %v run: %d posts found old, %d new, none torn", kills, full, sawOld, sawNew)
	if sawOld == 0 || sawNew == 0 {
		t.Errorf("the kills never caught a run midway (old %d, new %d)", sawOld, sawNew)
	}

	// A full run after the kills finishes the job and sweeps the temp files.
	if out, err := exec.Command(bin, "-w", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("final run: %v %s", err, out)
	}
	for i, p := range paths {
		if got, _ := os.ReadFile(p); !bytes.Equal(got, news[i]) {
			t.Fatalf("%s not clean after the final run", p)
		}
	}
	for _, p := range tempFiles(dir) {
		t.Errorf("temp file left: %s", p)
	}
}
