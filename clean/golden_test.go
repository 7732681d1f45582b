package clean_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

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

// TestGoldenHoldsNoJunk: a fixture's NAME.expect.yaml lists junk its
// input holds; neither the golden output nor today's output may hold any
// of it (a golden that keeps junk is a bug, not a baseline).
func TestGoldenHoldsNoJunk(t *testing.T) {
	files, _ := filepath.Glob("../testdata/golden/*.expect.yaml")
	if len(files) < 8 {
		t.Fatalf("only %d expect files", len(files))
	}
	c := defaultCleaner(t)
	for _, f := range files {
		name := strings.TrimSuffix(f, ".expect.yaml")
		var expect struct {
			Junk []string `yaml:"junk"`
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(raw, &expect); err != nil || len(expect.Junk) == 0 {
			t.Fatalf("%s: %v (or no junk listed)", f, err)
		}
		in, err := os.ReadFile(name + ".in.md")
		if err != nil {
			t.Fatal(err)
		}
		golden, err := os.ReadFile(name + ".out.md")
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Clean("", in)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range expect.Junk {
			if !bytes.Contains(in, []byte(j)) {
				t.Errorf("%s: %q is not in the input: the check could not fail", f, j)
			}
			if bytes.Contains(golden, []byte(j)) || bytes.Contains(res.Output, []byte(j)) {
				t.Errorf("%s: the output holds the junk %q", name, j)
			}
		}
	}
}
