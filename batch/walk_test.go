package batch_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mdclean/mdclean/batch"
)

// TestWalkKeep checks that Keep is asked about every file a directory walk
// would take, with its absolute path however the directory was written,
// and is not asked about files named as arguments.
func TestWalkKeep(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"sub/a.md", "sub/.dot.md", "sub/deep/b.md", "sub/skip.md", "named.md"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644)
	}
	old, _ := os.Getwd()
	defer os.Chdir(old)
	os.Chdir(dir)
	abs, _ := os.Getwd() // the temp dir may be reached through a link
	for _, root := range []string{"sub", "./sub", "sub/", ".", abs} {
		var asked, taken []string
		keep := func(p string) bool {
			rel, err := filepath.Rel(abs, p)
			if err != nil || !filepath.IsAbs(p) {
				t.Errorf("root %s: Keep got %q, want an absolute path", root, p)
			}
			asked = append(asked, filepath.ToSlash(rel))
			return !strings.HasSuffix(p, "skip.md")
		}
		args := []string{root}
		if root == "sub" {
			args = append(args, "sub/skip.md") // named: taken without asking
		}
		batch.Walk(args, batch.WalkOptions{Keep: keep}, func(in batch.Input) bool {
			in.Close()
			taken = append(taken, filepath.Base(in.Path))
			return true
		})
		wantAsked := []string{"sub/.dot.md", "sub/a.md", "sub/deep/b.md", "sub/skip.md"}
		wantTaken := []string{".dot.md", "a.md", "b.md"}
		if root == "." || root == abs {
			wantAsked = append([]string{"named.md"}, wantAsked...)
			wantTaken = append([]string{"named.md"}, wantTaken...)
		}
		if root == "sub" {
			wantTaken = append(wantTaken, "skip.md")
		}
		if !reflect.DeepEqual(asked, wantAsked) || !reflect.DeepEqual(taken, wantTaken) {
			t.Errorf("root %s: asked %q, took %q; want %q, %q", root, asked, taken, wantAsked, wantTaken)
		}
	}
}
