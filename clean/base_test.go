package clean

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	stock "github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"golang.org/x/net/html"
)

// baseInputs are bodies that exercise every part of the base plugin: each
// ASCII character in text, at a line's start and inside code, NUL and the
// converter's own marker byte, "<" and ">", runs of spaces and newlines
// around breaks, removed elements between texts, and every golden input.
func baseInputs(t testing.TB) []string {
	var ascii strings.Builder
	for c := 1; c < 128; c++ {
		ascii.WriteByte(byte(c))
	}
	in := []string{
		"<p>" + html.EscapeString(ascii.String()) + "</p>",
		"<pre>" + html.EscapeString(ascii.String()) + "</pre>",
		"<p>a\x00b \a* c</p>",
		"<p>x<br><br><br>  <br>\n\n\n<br>y</p><p>  </p><p>z</p>",
		"<p>a<script>x</script>b<style>y</style>c<!-- d -->e</p>",
		"<div>1. one</div><div>- two</div><div># three</div><div>&gt; four</div><div>***</div><div>===</div>",
		"<p>~~s~~ |t| `c` [l](u) ![i](s) *e* _e_ \\ $5 \"q\" 'q'</p>",
		"<table><tr><td>a|b</td><td>c\\|d</td></tr></table>",
		"<p>中文。*强调*——「引号」！</p><p>\u3000\u3000段落</p>",
		"<blockquote><p>q</p>\n\n\n<p>r</p></blockquote><ul><li>a</li><li>b<br><br></li></ul>",
	}
	for c := 1; c < 128; c++ {
		s := html.EscapeString(string(rune(c)))
		in = append(in, "<p>"+s+"x "+s+" x"+s+s+"</p><h2>"+s+"</h2><li>"+s+" a</li><code>"+s+"</code>")
	}
	files, _ := filepath.Glob("../testdata/golden/*.in.md")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, string(b))
	}
	return in
}

// sameBut drops the one difference meant: mdclean puts a backslash before
// an "&" that may read as a character reference.
var sameBut = strings.NewReplacer(`\&`, "&")

// TestBaseMatchesStock holds mdclean's base plugin to html-to-markdown's:
// the same Markdown for every input, but for the "&" that may read as a
// character reference.
func TestBaseMatchesStock(t *testing.T) {
	ours, theirs := newConverterOn(base{}), newConverterOn(stock.NewBasePlugin())
	for _, in := range baseInputs(t) {
		if diff := againstStock(ours, theirs, in); diff != "" {
			t.Error(diff)
		}
	}
}

// againstStock converts in with both converters and describes how they
// differ, or returns "".
func againstStock(ours, theirs *converter.Converter, in string) string {
	a, errA := ours.ConvertString(in)
	b, errB := theirs.ConvertString(in)
	a, b = sameBut.Replace(a), sameBut.Replace(b)
	if a != b || (errA == nil) != (errB == nil) {
		return fmt.Sprintf("for %q\nours:  %q (%v)\nstock: %q (%v)", in, a, errA, b, errB)
	}
	return ""
}

func FuzzBaseMatchesStock(f *testing.F) {
	for _, in := range baseInputs(f) {
		f.Add(in)
	}
	ours, theirs := newConverterOn(base{}), newConverterOn(stock.NewBasePlugin())
	f.Fuzz(func(t *testing.T, in string) {
		if diff := againstStock(ours, theirs, in); diff != "" {
			t.Fatal(diff)
		}
	})
}

func TestCapNewlines(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"a\n\nb":           "a\n\nb",
		"a\n\n\n\nb":       "a\n\nb",
		"a \n \n \n b":     "a \n \n b",
		"a  \n\n  \n  b  ": "a  \n\n  b  ",
		"中\n\n\n文":         "中\n\n文",
		"a\n\tb\n\n\n\t":   "a\n\tb\n\n\t",
		"\n\n\n":           "\n\n",
		"x \n \n \n \n y ": "x \n \n y ",
	} {
		if got := string(capNewlines([]byte(in))); got != want {
			t.Errorf("capNewlines(%q) = %q, want %q", in, got, want)
		}
	}
}

// The escaper hands text with nothing to escape on without copying it.
func TestEscapeTextShares(t *testing.T) {
	s := strings.Repeat("中文 text, plain", 10)
	if got := escapeText(nil, s); got != s || !bytes.Equal([]byte(got), []byte(s)) {
		t.Fatalf("escapeText changed %q to %q", s, got)
	}
	if n := testing.AllocsPerRun(10, func() { escapeText(nil, s) }); n != 0 {
		t.Errorf("escapeText allocated %v times for text with nothing to escape", n)
	}
}

// capNewlinesByByte is capNewlines written one byte at a time, the plain
// statement of the rule: the oracle for the run-copying version.
func capNewlinesByByte(md []byte) []byte {
	out := make([]byte, 0, len(md))
	newlines, spaces := 0, 0
	for i, c := range md {
		switch c {
		case ' ':
			spaces++
			continue
		case '\n':
			newlines++
			if newlines <= 2 {
				out = append(out, md[i-spaces:i+1]...)
			}
		default:
			newlines = 0
			out = append(out, md[i-spaces:i+1]...)
		}
		spaces = 0
	}
	return append(out, md[len(md)-spaces:]...)
}

func FuzzCapNewlines(f *testing.F) {
	for _, s := range []string{"", "a\n\n\n\nb", " \n \n \n \n ", "x  \n\t\n\n\n y", "\n\n\n", "a \n\n  \n\n   b\n\n\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, md []byte) {
		if got, want := capNewlines(md), capNewlinesByByte(md); !bytes.Equal(got, want) {
			t.Fatalf("capNewlines(%q) = %q, want %q", md, got, want)
		}
	})
}
