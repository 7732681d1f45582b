package clean_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func defaultCleaner(t testing.TB) *clean.Cleaner {
	t.Helper()
	set, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return clean.New(clean.Options{Rules: set})
}

// TestGolden cleans every testdata/golden/NAME.in.md, with the default rules
// and NAME.rules.yaml when there is one, and compares the result with
// NAME.out.md (or, for a post that cannot be cleaned, the error with
// NAME.err); a front matter warning goes to NAME.warn. Every output must be a
// fixed point: cleaning it again gives the same bytes.
func TestGolden(t *testing.T) {
	c := defaultCleaner(t)
	ins, _ := filepath.Glob("../testdata/golden/*.in.md")
	if len(ins) == 0 {
		t.Fatal("no golden inputs")
	}
	fired := make(rules.Hits, c.Rules().Len())
	for _, in := range ins {
		name := strings.TrimSuffix(in, ".in.md")
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			cl := c
			if extra, err := os.ReadFile(name + ".rules.yaml"); err == nil {
				// NAME.rules.yaml adds rules for this input, as --rules does.
				set, err := rules.Parse(filepath.Base(name)+".rules.yaml", extra)
				if err != nil {
					t.Fatal(err)
				}
				all, err := rules.DefaultAround(set)
				if err != nil {
					t.Fatal(err)
				}
				cl = clean.New(clean.Options{Rules: all})
			}
			res, err := cl.Clean("", src)
			if err != nil {
				golden(t, name+".err", []byte(err.Error()+"\n"))
				return
			}
			if cl == c {
				for i, n := range res.Hits {
					fired[i] += n
				}
			}
			golden(t, name+".out.md", res.Output)
			if res.Warning != nil {
				golden(t, name+".warn", []byte(res.Warning.Error()+"\n"))
			} else if _, err := os.Stat(name + ".warn"); err == nil {
				t.Errorf("expected a warning (%s.warn), got none", name)
			}
			again, err := cl.Clean("", res.Output)
			if err != nil {
				t.Fatalf("cleaning the output again: %v", err)
			}
			if !bytes.Equal(again.Output, res.Output) {
				t.Errorf("not idempotent: second pass gave\n%s", again.Output)
			}
		})
	}
	for i, r := range c.Rules().Rules() {
		if fired[i] == 0 {
			t.Errorf("default rule %q fires on no golden input: add a fixture for it", r.Name)
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./clean -update to create it, then read it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}
