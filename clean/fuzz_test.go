package clean_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	ghtml "github.com/yuin/goldmark/renderer/html"

	"github.com/mdclean/mdclean/clean"
)

// addSeeds adds every golden input as a seed; crashers the fuzzer finds are
// kept in testdata/fuzz/FuzzNAME beside this file, as go test expects.
func addSeeds(f *testing.F) {
	files, _ := filepath.Glob("../testdata/golden/*.in.md")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "---", "---\n", "---\n---\n", "\ufeff", "+++\n+++", "{\n;;;\n", ";;;\n;;;\n<p>x",
		"\r\n\r\n---\r\na: b\r\n---\r\n<p>x</p>", "<p>\x00</p>", "<", "<!--", "<p><br></p>"} {
		f.Add([]byte(s))
	}
	// Every attack vector in every body shape, and the Markdown ones.
	for _, sh := range shapes {
		for _, v := range attackVectors {
			f.Add([]byte(sh.place(v)))
		}
	}
	for _, sh := range markdownShapes {
		for _, v := range markdownVectors {
			f.Add([]byte(sh.place(v)))
		}
	}
}

// FuzzSplit checks that splitting never loses or invents a byte.
func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := clean.Split(src)
		if err != nil {
			return
		}
		if !bytes.Equal(append(append([]byte(nil), p.Head...), p.Body...), src) {
			t.Fatalf("head %q + body %q != post %q", p.Head, p.Body, src)
		}
	})
}

// FuzzClean checks the whole pipeline: no panic, the bytes before the body
// kept, cleaning a cleaned post changes nothing, and the output, of any
// body, holds nothing executable once rendered.
func FuzzClean(f *testing.F) {
	addSeeds(f)
	c := defaultCleaner(f)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(ghtml.WithUnsafe()))
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := c.Clean("", src)
		if err != nil {
			return
		}
		if utf8.Valid(src) {
			p, _ := clean.Split(src)
			if !bytes.HasPrefix(res.Output, p.Head) {
				t.Fatalf("the bytes before the body changed:\n%q\n%q", p.Head, res.Output)
			}
		} else if !bytes.Equal(res.Output, src) && !utf8.Valid(res.Output) {
			// A post in another encoding is decoded whole, front matter too.
			t.Fatalf("decoded output is not UTF-8: %q", res.Output)
		}
		again, err := c.Clean("", res.Output)
		if err != nil {
			t.Fatalf("cleaning the output failed: %v\n%q", err, res.Output)
		}
		if !bytes.Equal(again.Output, res.Output) {
			t.Fatalf("not idempotent:\nin:    %q\nonce:  %q\ntwice: %q", src, res.Output, again.Output)
		}
		// Whatever the body's shape, HTML or Markdown, converted or kept.
		out, _ := clean.Split(res.Output)
		var rendered bytes.Buffer
		if err := md.Convert(out.Body, &rendered); err == nil {
			if bad := unsafeIn(rendered.Bytes()); bad != "" {
				t.Fatalf("executable output (%s):\nin: %q\nmd: %q", bad, src, out.Body)
			}
		}
	})
}
