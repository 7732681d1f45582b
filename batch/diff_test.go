package batch

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	old, new := []byte("a\nb\nc\n"), []byte("a\nB\nc\n")
	plain := string(Diff("p.md", old, new, false))
	want := "--- a/p.md\n+++ b/p.md\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
	if plain != want {
		t.Errorf("plain diff\n%s\nwant\n%s", plain, want)
	}
	colored := string(Diff("p.md", old, new, true))
	for _, line := range []string{colorBold + "--- a/p.md" + colorReset, colorRed + "-b" + colorReset, colorGreen + "+B" + colorReset, colorCyan + "@@ -1,3 +1,3 @@" + colorReset, "\n a\n"} {
		if !strings.Contains(colored, line) {
			t.Errorf("coloured diff lacks %q:\n%q", line, colored)
		}
	}
	if d := Diff("p.md", old, old, false); len(d) != 0 {
		t.Errorf("diff of equal files: %q", d)
	}
}
