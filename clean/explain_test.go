package clean_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/clean"
	"github.com/mdclean/mdclean/rules"
)

// find returns the first node under n for which ok holds, in document order.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func hasID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return true
			}
		}
		return false
	}
}

func TestNodePath(t *testing.T) {
	isComment := func(n *html.Node) bool { return n.Type == html.CommentNode }
	for _, tc := range []struct {
		html string
		pick func(*html.Node) bool
		want string
	}{
		{`<p>a</p>`, func(n *html.Node) bool { return n.Data == "body" }, "body"},
		{`<p>a</p>`, func(n *html.Node) bool { return n.Data == "html" }, "html"},
		{`<p id=x>a</p>`, hasID("x"), "body > p"},
		{`<p>a</p><div></div><p>b<font id=x>c</font></p>`, hasID("x"), "body > p:nth-of-type(2) > font"},
		{`<div><p>1</p><p>2</p><p id=x>3</p></div>`, hasID("x"), "body > div > p:nth-of-type(3)"},
		{`<div><span>a</span><p id=x>only p</p><span>b</span></div>`, hasID("x"), "body > div > p"},
		{`<div><p>a</p><!-- ad --></div>`, isComment, "body > div > #comment"},
		{`<!-- first -->`, isComment, "#comment"}, // before <html>: a child of the document
		{`<title id=x>t</title>`, hasID("x"), "head > title"},
		{`<p>a <b>b</b> c</p>`, func(n *html.Node) bool { return n.Type == html.TextNode && n.Data == " c" }, "body > p > #text"},
	} {
		doc, err := html.Parse(strings.NewReader(tc.html))
		if err != nil {
			t.Fatal(err)
		}
		n := find(doc, tc.pick)
		if n == nil {
			t.Fatalf("%s: nothing picked", tc.html)
		}
		if got := clean.NodePath(n); got != tc.want {
			t.Errorf("%s: path %q, want %q", tc.html, got, tc.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"<p>short</p>", 80, "<p>short</p>"},
		{"<p>\n\t two  \r\n lines </p>", 80, "<p> two lines </p>"},
		{"<p>abcdefgh</p>", 8, "<p>abcd…"},
		{"<p>一二三四五六七八</p>", 8, "<p>一二三四…"},     // runes, not bytes
		{"<p>abc     defgh</p>", 8, "<p>abc…"}, // no space before the mark
		{"  \n ", 80, ""},
	} {
		if got := clean.Snippet(tc.in, tc.max); got != tc.want {
			t.Errorf("Snippet(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

const explainRules = `version: 1
rules:
  - name: ad-span
    description: An ad between two markers.
    between: {start: '^ad$', end: '^/ad$'}
    action: remove
  - name: watermark
    description: Near-white text.
    select: 'font[color="#F8F8F8"]'
    action: remove
  - name: edges
    description: Trims blocks; most have nothing to trim.
    select: body, p
    action: trim
`

func TestExplain(t *testing.T) {
	set, err := rules.Parse("r.yaml", []byte(explainRules))
	if err != nil {
		t.Fatal(err)
	}
	c := clean.New(clean.Options{Rules: set})
	src := "---\ntitle: t\n---\n" +
		`<p>One.<font color="#F8F8F8">Mitbbs.com</font></p>` +
		"<!--ad--> <div>Buy   now</div>\n<!--/ad-->" +
		`<p>Two.<br></p><p>Three.</p>`
	var out bytes.Buffer
	res, err := c.Explain(&out, "post.md", []byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	// The trims of body and of the first and third p change nothing and
	// are not shown; the text nodes of the ad span are.
	want := "ad-span    body > #comment                 <!--ad-->\n" +
		"ad-span    body > #text                    (white space)\n" +
		"ad-span    body > div                      <div>Buy now</div>\n" +
		"ad-span    body > #text                    (white space)\n" +
		"ad-span    body > #comment                 <!--/ad-->\n" +
		"watermark  body > p:nth-of-type(1) > font  <font color=\"#F8F8F8\">Mitbbs.com</font>\n" +
		"edges      body > p:nth-of-type(2)         <p>Two.<br/></p>\n" +
		"7 actions by 3 rules\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	if sum := res.Hits[0] + res.Hits[1] + res.Hits[2]; sum != 7 {
		t.Errorf("hits %v add up to %d, want the 7 lines shown", res.Hits, sum)
	}
	// Explain cleans as Clean does.
	plain, _ := c.Clean("post.md", []byte(src))
	if !bytes.Equal(res.Output, plain.Output) {
		t.Error("Explain's output differs from Clean's")
	}

	out.Reset()
	if _, err := c.Explain(&out, "post.md", []byte("---\nt: x\n---\nJust *Markdown*.\n"), false); err != nil ||
		out.String() != "0 actions: the body is not HTML, so it is passed through untouched\n" {
		t.Errorf("Markdown body: %v %q", err, out.String())
	}
	out.Reset()
	if _, err := c.Explain(&out, "post.md", []byte("---\nt: x\n<p>x</p>"), false); err == nil || out.Len() != 0 {
		t.Errorf("unclosed front matter: err %v, out %q", err, out.String())
	}
}
