package clean_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"

	"github.com/mdclean/mdclean/clean"
)

// specExample is one example of the CommonMark spec, as goldmark ships it.
type specExample struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Example  int    `json:"example"`
	Section  string `json:"section"`
}

// meantToDiffer are the spec examples whose reference HTML mdclean does not
// give back on purpose, each with its reason. Every other example must
// read back as its reference HTML.
var meantToDiffer = byReason(map[string][]int{
	"raw HTML in the example (the HTML blocks and Raw HTML sections): " +
		"mdclean writes no raw HTML, and a table with no header row gets an empty one, which GFM needs": {
		148, 149, 150, 151, 152, 153, 154, 155, 159, 160, 161, 162, 163, 164, 165, 166, 167, 169, 170,
		171, 172, 173, 174, 175, 176, 177, 178, 180, 184, 185, 186, 187, 188, 189, 190, 191,
		613, 614, 615, 616, 617, 623, 626, 630, 631},
	"a raw HTML tag in the example's text (<bar>, <b>, an unclosed <a>): dropped, as raw HTML is": {
		201, 491, 494, 524, 536, 21, 31, 476, 477, 642, 643},
	"a link with an empty href is no link: its text stays, plain": {200, 485, 486, 567},
	"a link with nothing to click shows nothing: dropped":         {484, 487},
	"an empty heading, quote or list shows nothing: the tidying rules drop it": {
		79, 218, 239, 240, 280, 284},
	"bullet lists in a row are written as one: another bullet breaks markdownlint MD004, " +
		"and the comment that would part them is raw HTML": {301, 308},
	"a backtick in a link destination is percent-encoded: a Markdown reader may pair it with a code span": {344},
	"links that touch are written apart, or a site's tag row reads as one word":                           {570},
	"a link title's line breaks are written as spaces: a title line could start a block":                  {196},
	"strong in strong in strong inside a word: \"_\" cannot open inside a word, so the inner ones go":     {417},
})

func byReason(groups map[string][]int) map[int]string {
	m := map[int]string{}
	for why, examples := range groups {
		for _, n := range examples {
			m[n] = why
		}
	}
	return m
}

// rawSections hold the examples about raw HTML, which the safety policy
// drops; the share of examples kept is counted outside them.
var rawSections = map[string]bool{"HTML blocks": true, "Raw HTML": true}

// loadSpec reads the CommonMark spec examples from goldmark's module, a test
// dependency, so the spec text never enters this project.
func loadSpec(t *testing.T) []specExample {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("CommonMark round trip skipped: goldmark's module directory not found (%v)", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "_test", "spec.json"))
	if err != nil {
		t.Skipf("CommonMark round trip skipped: %v", err)
	}
	var spec []specExample
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatalf("spec.json: %v", err)
	}
	return spec
}

// roundTrip is what became of each example: kept by html-to-markdown alone,
// kept by mdclean.
type roundTrip struct {
	ex        specExample
	lib, ours bool
	got       string
}

func runRoundTrip(t *testing.T) []roundTrip {
	spec := loadSpec(t)
	c := clean.New(clean.Options{Rules: defaultCleaner(t).Rules(), From: clean.HTML})
	var res []roundTrip
	for _, ex := range spec {
		want := canonical(ex.HTML)
		r := roundTrip{ex: ex}
		if md, err := htmltomarkdown.ConvertString(ex.HTML); err == nil {
			r.lib = canonical(render(t, md)) == want
		}
		out, err := c.Clean("", []byte(ex.HTML))
		if err != nil {
			t.Fatalf("example %d: %v", ex.Example, err)
		}
		r.got = string(out.Output)
		r.ours = canonical(render(t, r.got)) == want
		res = append(res, r)
	}
	return res
}

// TestCommonMarkRoundTrip takes the reference HTML of every CommonMark spec
// example as a post body, cleans it, reads the Markdown back with goldmark
// and compares the two HTML trees. Every example reads back as its HTML but
// those listed in meantToDiffer, and at least 95% of those outside the raw
// HTML sections do. The table it logs (go test -v) counts, per section,
// the examples html-to-markdown alone and mdclean keep;
// COMMONMARK_FAILURES=1 also logs each one mdclean does not.
func TestCommonMarkRoundTrip(t *testing.T) {
	res := runRoundTrip(t)
	type tally struct{ n, lib, ours int }
	sections := map[string]*tally{}
	var order []string
	var counted, kept int
	for _, r := range res {
		s := sections[r.ex.Section]
		if s == nil {
			s = &tally{}
			sections[r.ex.Section] = s
			order = append(order, r.ex.Section)
		}
		s.n++
		if r.lib {
			s.lib++
		}
		if r.ours {
			s.ours++
		}
		why, meant := meantToDiffer[r.ex.Example]
		switch {
		case r.ours && meant:
			t.Errorf("example %d is kept now; drop it from meantToDiffer (%s)", r.ex.Example, why)
		case !r.ours && !meant:
			lib := ""
			if r.lib {
				lib = " (html-to-markdown alone keeps it)"
			}
			t.Errorf("example %d (%s) does not read back as its HTML%s\nhtml: %q\ngot:  %q\nreads: %s",
				r.ex.Example, r.ex.Section, lib, r.ex.HTML, r.got, canonical(render(t, r.got)))
		}
		if !rawSections[r.ex.Section] {
			counted++
			if r.ours {
				kept++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-42s %5s %6s %6s\n", "section", "n", "h2m", "mdclean")
	for _, name := range order {
		s := sections[name]
		fmt.Fprintf(&b, "%-42s %5d %6d %6d\n", name, s.n, s.lib, s.ours)
	}
	t.Log("\n" + b.String())
	share := 100 * float64(kept) / float64(counted)
	t.Logf("kept %d of %d examples outside the raw HTML sections (%.1f%%)", kept, counted, share)
	if share < 95 {
		t.Errorf("kept %.1f%% of the examples outside the raw HTML sections, want at least 95%%", share)
	}
	if os.Getenv("COMMONMARK_FAILURES") != "" {
		for _, r := range res {
			if !r.ours {
				t.Logf("example %d (%s) lib=%v\nhtml: %q\ngot:  %q\nwant: %s\nhave: %s", r.ex.Example, r.ex.Section, r.lib, r.ex.HTML, r.got,
					canonical(r.ex.HTML), canonical(render(t, r.got)))
			}
		}
	}
}
