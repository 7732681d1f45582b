package clean_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/clean"
)

// attackVectors are payloads in the manner of the OWASP XSS filter evasion
// cheat sheet, written for this suite. Each is placed inside a realistic
// scraped post, cleaned with the default rules, and the Markdown rendered
// the way Hexo would render it: with raw HTML allowed.
var attackVectors = []string{
	// Script tags in many spellings.
	`<script>alert(1)</script>`,
	`<SCRIPT>alert(1)</SCRIPT>`,
	`<ScRiPt src="https://evil.example/x.js"></sCrIpT>`,
	`<script type="text/javascript">document.cookie</script>`,
	`<script/src="https://evil.example/x.js"></script>`,
	`<script	>alert(1)</script>`,
	`<<script>alert(1)//<</script>`,
	`<script>alert(1)`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<script><!--alert(1)--></script>`,
	// Event handlers.
	`<img src="x.jpg" onerror="alert(1)">`,
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC=x ONERROR=alert(1)>`,
	`<body onload=alert(1)>text</body>`,
	`<p onmouseover="alert(1)">hover</p>`,
	`<a href="https://ok.example/" onclick="alert(1)">click</a>`,
	`<div onclick="alert(1)" style="width:100%">block</div>`,
	`<svg onload=alert(1)>`,
	`<input autofocus onfocus=alert(1)>`,
	`<details open ontoggle=alert(1)><summary>s</summary>d</details>`,
	`<video><source onerror="alert(1)"></video>`,
	`<marquee onstart=alert(1)>m</marquee>`,
	// javascript:, vbscript: and data: URLs, obfuscated.
	`<a href="javascript:alert(1)">j</a>`,
	`<a href="JaVaScRiPt:alert(1)">j</a>`,
	`<a href=" javascript:alert(1)">j</a>`,
	`<a href="java&#09;script:alert(1)">j</a>`,
	`<a href="java&#x0A;script:alert(1)">j</a>`,
	`<a href="jav&#x61;script:alert(1)">j</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">j</a>`,
	`<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">j</a>`,
	`<a href="javascript&colon;alert(1)">j</a>`,
	"<a href=\"\x01javascript:alert(1)\">j</a>",
	`<a href="vbscript:msgbox(1)">v</a>`,
	`<a href="VBScript:msgbox(1)">v</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>`,
	`<a href="data:text/html,<script>alert(1)</script>">d</a>`,
	`<img src="javascript:alert(1)">`,
	`<img src="  JAVASCRIPT:alert(1)">`,
	`<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
	`<img lowsrc="javascript:alert(1)" src="ok.jpg">`,
	`<img dynsrc="javascript:alert(1)">`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	// svg and math payloads.
	`<svg><script>alert(1)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>`,
	`<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>`,
	`<math href="javascript:alert(1)">m</math>`,
	// Frames, meta, base, forms, objects.
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<frameset><frame src="javascript:alert(1)"></frameset>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<form action="javascript:alert(1)"><input type="submit"></form>`,
	`<form><button formaction="javascript:alert(1)">b</button></form>`,
	`<object data="javascript:alert(1)"></object>`,
	`<object type="text/x-scriptlet" data="https://evil.example/x.sct"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<embed src="https://evil.example/x.swf">`,
	`<applet code="X.class"></applet>`,
	// CSS.
	`<div style="width: expression(alert(1));">css</div>`,
	`<div style="background:url(javascript:alert(1))">css</div>`,
	`<style>@import 'javascript:alert(1)';</style>`,
	`<link rel="stylesheet" href="javascript:alert(1)">`,
	`<p style="behavior: url(x.htc)">htc</p>`,
	// Unclosed and nested tags, comments and CDATA.
	`<img src="x.jpg" onerror="alert(1)"`,
	`<a href="javascript:alert(1)"><b>nested <i>link</i></b>`,
	`<div><p><a href="javascript:alert(1)">deep</a></p></div>`,
	`<!--<img src=x onerror=alert(1)>-->`,
	`<!--[if gte IE 4]><script>alert(1)</script><![endif]-->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<p>before<!-- --><script>alert(1)</script>after</p>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">n</p></noscript>`,
	`<textarea><script>alert(1)</script></textarea>`,
	`<template><script>alert(1)</script></template>`,
	// Markdown syntax smuggling executable URLs through text.
	`<p>[click](javascript:alert(1))</p>`,
	`<p>![img](javascript:alert(1))</p>`,
	`<p>[x]: javascript:alert(1)</p><p>[x]</p>`,
	`<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>`,
	`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`,
	`<p>&lt;img src=x onerror=alert(1)&gt;</p>`,
	`<p><code>&lt;script&gt;</code> and &lt;svg onload=alert(1)&gt;</p>`,
	`<p>&lt;javascript:alert(1)&gt;</p>`,
	`<a href="https://ok.example/">[inner](javascript:alert(1))</a>`,
	`<img src="x.jpg" alt="](javascript:alert(1))">`,
	`<img src="x.jpg" title='") [a](javascript:alert(1)'>`,
	`<a href="https://ok.example/x) [b](javascript:alert(1)">paren</a>`,
	`<a href="https://ok.example/ javascript:alert(1)">space</a>`,
	`<pre>&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</pre>`,
	// Destinations harmless in HTML that a Markdown reader decodes into a
	// scheme: entity references, backslash escapes, encoded tabs/newlines.
	`<a href="&amp;#106;avascript:alert(1)">e</a>`,
	`<a href="&amp;#x6A;avascript:alert(1)">e</a>`,
	`<a href="javascript&amp;colon;alert(1)">e</a>`,
	`<a href="javascript&amp;#58;alert(1)">e</a>`,
	`<a href="javascript\:alert(1)">e</a>`,
	`<a href="\javascript:alert(1)">e</a>`,
	`<a href="java&amp;Tab;script:alert(1)">e</a>`,
	`<a href="java&amp;NewLine;script:alert(1)">e</a>`,
	`<a href="vbscript&amp;colon;msgbox(1)">e</a>`,
	`<a href="&amp;#100;ata:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">e</a>`,
	`<a href="data\:text/html,x">e</a>`,
	`<img src="&amp;#106;avascript:alert(1)">`,
	`<img src="javascript&amp;colon;alert(1)">`,
	`<img src="javascript\:alert(1)">`,
	`<img src="&amp;#100;ata:image/svg+xml,x">`,
	// A backtick in an image's description, title or source pairs with the
	// opening one of a later code span, which takes precedence over the
	// image, and lets the span's content out as raw HTML or a link.
	"<p><img alt=\"`\" src=\"a.png\"> <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p><img alt=\"x`\" src=\"a.png\"><code>&lt;img src=x onerror=alert(1)&gt;</code>.</p>",
	"<p><img alt=\"`\" src=\"a.png\"> <code>[x](javascript:alert(1))</code></p>",
	"<p><img alt=\"i\" title=\"`\" src=\"a.png\"> <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p><img alt=\"i\" src=\"a`.png\"> <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p><a href=\"/a`b\">l</a> <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p><img alt=\"&lt;img src=x onerror=alert(1)&gt;\" src=\"y.png\"></p>",
	// A "|" in a cell's code or title cuts a GFM table cell in two, before
	// code spans and links are read.
	"<table><tr><th>h</th><th>h2</th></tr><tr><td><code>a|&lt;img src=x onerror=alert(1)&gt;</code></td><td>b</td></tr></table>",
	"<table><tr><th>h</th><th>h2</th></tr><tr><td><a href=\"https://ok/\" title=\"x|&lt;img src=x onerror=alert(1)&gt;\">t</a></td><td>b</td></tr></table>",
	"<table><tr><th>h</th><th>h2</th></tr><tr><td><img src=\"https://ok/i.png\" title=\"x|&lt;img src=x onerror=alert(1)&gt;\"></td><td>b</td></tr></table>",
	// Emphasis delimiters placed inside link syntax break the link and let
	// its title out.
	"<p><strong>：<a href=\"https://ok/\" title=\"&lt;img src=x onerror=alert(1)&gt;\">x</a></strong>作为</p>",
	"<p><strong>：<img src=\"https://ok/i.png\" title=\"&lt;img src=x onerror=alert(1)&gt;\"></strong>作为</p>",
	"<p><em>\"<a href=\"https://ok/\" title=\"&lt;img src=x onerror=alert(1)&gt;\">x</a></em>y</p>",
	"<p><strong>：<a href=\"https://ok/\" title=\"`\">x</a></strong>作为 <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	// Emphasis placement splitting a backslash escape ("\[", "\`") leaves
	// the escaped character live; a lone backslash in emphasis crashed it.
	"<p>q<b>[</b>x](javascript:alert(1))</p>",
	"<p><b>a[</b>x](javascript:alert(1))</p>",
	"<p>a<em>[</em>x](javascript:alert(1))</p>",
	"<p>a<b>![</b>x](javascript:alert(1))</p>",
	"<p>a<b>`</b>b <code>&lt;img src=x onerror=alert(1)&gt;</code> c</p>",
	"<p><a href=\"https://ok/\">a<b>`</b></a> <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p>x<b>\\</b>y <b>\\</b>` <code>&lt;img src=x onerror=alert(1)&gt;</code></p>",
	"<p>x<b>&lt;img src=x onerror=alert(1)&gt;</b></p>",
}

// unsafeIn parses rendered HTML and reports the first thing that would run.
func unsafeIn(rendered []byte) string {
	doc, err := html.Parse(bytes.NewReader(rendered))
	if err != nil {
		return "unparsable: " + err.Error()
	}
	var found string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if found != "" {
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "style", "form":
				found = "<" + n.Data + "> element"
				return
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") {
					found = "event handler " + a.Key
					return
				}
				switch key {
				case "href", "src", "action", "formaction", "xlink:href", "data", "lowsrc", "dynsrc", "srcdoc":
					if executable(a.Val) || key == "srcdoc" {
						found = key + "=" + a.Val
						return
					}
				case "style":
					if v := strings.ToLower(a.Val); strings.Contains(v, "expression(") || strings.Contains(v, "javascript:") {
						found = "style " + a.Val
						return
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	return found
}

// executable reports a URL whose scheme runs code, read as a browser reads
// it: control characters and white space inside the scheme do not count.
func executable(u string) bool {
	var b strings.Builder
	colon := false
	for _, r := range u {
		if r <= ' ' {
			continue
		}
		if r == ':' {
			colon = true
			break
		}
		b.WriteRune(r)
	}
	if !colon {
		return false // no scheme: a relative URL
	}
	switch strings.ToLower(b.String()) {
	case "javascript", "vbscript", "data", "livescript":
		return true
	}
	return false
}

// markdownVectors are Markdown destinations that a CommonMark reader decodes
// into an executable scheme: as written, with entity references, backslash
// escapes, tabs and newlines in the scheme, in inline links, images,
// autolinks and reference definitions.
var markdownVectors = []string{
	`[x](javascript:alert(1))`,
	`[x](JavaScript:alert(1))`,
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;avascript:alert(1))`,
	`[x](javascript&colon;alert(1))`,
	`[x](javascript&#58;alert(1))`,
	`[x](javascript\:alert(1))`,
	`[x](java&Tab;script:alert(1))`,
	`[x](java&NewLine;script:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`[x](<java script:alert(1)>)`,
	`[x](vbscript:msgbox(1))`,
	`[x](data:text/html,x)`,
	`[x](&#100;ata:text/html,x "t")`,
	`![i](javascript:alert(1))`,
	`![i](&#x6A;avascript:alert(1))`,
	`![i](javascript&colon;alert(1))`,
	`![i](data:image/svg+xml,x)`,
	`<javascript:alert(1)>`,
	`<JAVASCRIPT:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`<data:text/html,x>`,
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: &#106;avascript:alert(1)",
	"[x][r]\n\n[r]: <javascript\\:alert(1)>",
	"[x]\n\n[x]: java&Tab;script:alert(1) 'title'",
	"![i][r]\n\n[r]: data:text/html,x",
	"[x][r]\n\n[r]: vbscript&colon;msgbox(1)",
	// Decoded twice: "&#38;" is "&", which with "colon;" makes "&colon;".
	`[x](javascript&#38;colon;alert(1))`,
	`![i](javascript&colon&#59;alert(1))`,
	"[x][r]\n\n[r]: javascript&#38;colon;alert(1)",
}

// shapes place a payload in bodies of every kind mdclean meets: HTML inside
// a scraped article, HTML as the whole body, HTML after a line of text or
// an "&nbsp;" (which a first-byte check takes for Markdown), and raw HTML
// inline in a Markdown post.
var shapes = []struct {
	name  string
	place func(v string) string
}{
	{"in an article", func(v string) string {
		return "<div>\n<p>An ordinary opening paragraph.</p>\n" + v + "\n<p>An ordinary closing paragraph.</p>\n</div>\n"
	}},
	{"whole body", func(v string) string { return v + "\n" }},
	{"after a text line", func(v string) string {
		return "转载自 example.com\n" + v + "\n<p>An ordinary closing paragraph.</p>\n"
	}},
	{"after &nbsp;", func(v string) string { return "&nbsp;" + v + "<p>An ordinary closing paragraph.</p>\n" }},
	{"inline in Markdown", func(v string) string {
		return "# A heading\n\nSome *Markdown* text with " + v + " inline.\n\n- a list item\n"
	}},
}

// markdownShapes place a Markdown destination vector in a Markdown body.
var markdownShapes = []struct {
	name  string
	place func(v string) string
}{
	{"whole body", func(v string) string { return v + "\n" }},
	{"in a Markdown post", func(v string) string {
		return "# A heading\n\nAn ordinary *paragraph*.\n\n- item " + v + "\n\nThe end.\n"
	}},
}

// renderSafe cleans post, renders the output with goldmark with raw HTML
// allowed, as Hexo would, and returns what would run ("" for nothing); it
// also checks that cleaning the output changes nothing.
func renderSafe(t *testing.T, c *clean.Cleaner, post string) (string, []byte) {
	t.Helper()
	res, err := c.Clean("", []byte(post))
	if err != nil {
		return "", nil // refused, so nothing is written
	}
	again, err := c.Clean("", res.Output)
	if err != nil || !bytes.Equal(again.Output, res.Output) {
		t.Errorf("not idempotent: %q\nonce:  %q\ntwice: %q", post, res.Output, again.Output)
	}
	p, _ := splitOut(res.Output)
	var rendered bytes.Buffer
	if err := renderer.Convert(p, &rendered); err != nil {
		t.Fatalf("goldmark: %v", err)
	}
	return unsafeIn(rendered.Bytes()), p
}

var renderer = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(ghtml.WithUnsafe()))

func TestNoExecutableHTML(t *testing.T) {
	if len(attackVectors) < 60 {
		t.Fatalf("only %d attack vectors", len(attackVectors))
	}
	c := defaultCleaner(t)
	for _, sh := range shapes {
		n := 0
		for i, v := range attackVectors {
			// A realistic post: front matter, then the body.
			post := "---\ntitle: 'Post " + string(rune('A'+i%26)) + "'\ncategories:\n - News\n---\n\n" + sh.place(v)
			if bad, md := renderSafe(t, c, post); bad != "" {
				t.Errorf("%s, vector %d %q survives as %s\nMarkdown:\n%s", sh.name, i, v, bad, md)
			}
			n++
		}
		t.Logf("%s: %d HTML vectors", sh.name, n)
	}
	for _, sh := range markdownShapes {
		n := 0
		for i, v := range markdownVectors {
			post := "---\ntitle: Post\n---\n\n" + sh.place(v)
			if bad, md := renderSafe(t, c, post); bad != "" {
				t.Errorf("%s, Markdown vector %d %q survives as %s\nMarkdown:\n%s", sh.name, i, v, bad, md)
			}
			n++
		}
		t.Logf("%s: %d Markdown destination vectors", sh.name, n)
	}
}

var decodedSpace = strings.NewReplacer("%09", "\t", "%0A", "\n", "%20", " ")

// TestMarkdownVectorsAreLive makes sure the Markdown vectors test
// something: rendered as they are, each one yields an executable URL.
func TestMarkdownVectorsAreLive(t *testing.T) {
	for _, sh := range markdownShapes {
		for i, v := range markdownVectors {
			var rendered bytes.Buffer
			if err := renderer.Convert([]byte(sh.place(v)), &rendered); err != nil {
				t.Fatal(err)
			}
			// goldmark percent-encodes white space in a destination;
			// renderers that write it as decoded (marked, Hexo's default)
			// give browsers a scheme they strip white space from.
			if unsafeIn(rendered.Bytes()) == "" && unsafeIn([]byte(decodedSpace.Replace(rendered.String()))) == "" {
				t.Errorf("%s, vector %d %q is harmless as written:\n%s", sh.name, i, v, rendered.String())
			}
		}
	}
}

// splitOut returns the body of a cleaned post.
func splitOut(out []byte) ([]byte, []byte) {
	s := string(out)
	if i := strings.Index(s, "\n---\n"); strings.HasPrefix(s, "---\n") && i >= 0 {
		return []byte(s[i+5:]), []byte(s[:i+5])
	}
	return out, nil
}

func TestCheckerCatchesWhatItShould(t *testing.T) {
	for _, bad := range []string{`<script>x</script>`, `<a href="java&#x09;script:x">a</a>`, `<img src=x onerror=y>`,
		`<iframe></iframe>`, `<base href="/">`, `<meta charset=utf-8>`, `<form action="vbscript:x"></form>`,
		`<button formaction="javascript:x">b</button>`, `<a href="data:text/html,x">d</a>`} {
		if unsafeIn([]byte(bad)) == "" {
			t.Errorf("checker passes %q", bad)
		}
	}
	for _, good := range []string{`<p>text</p>`, `<a href="https://example.com/">a</a>`, `<img src="/x.png" alt="javascript:">`, `<img src="dAtA">`} {
		if bad := unsafeIn([]byte(good)); bad != "" {
			t.Errorf("checker flags %q: %s", good, bad)
		}
	}
}

// A lone carriage return ends a line for CommonMark, markdown-it and
// marked (Hexo's renderers), not for goldmark: a fence or a quote they see
// end there must not let raw HTML out, in a kept Markdown body or in
// converted code.
func TestLoneCarriageReturn(t *testing.T) {
	c := defaultCleaner(t)
	toLF := strings.NewReplacer("\r\n", "\n", "\r", "\n")
	for _, body := range []string{
		"```\nx\r```\r<img src=x onerror=alert(1)>\n```\n",
		"> a\r<img src=x onerror=alert(1)>\n",
		"<blockquote><pre>a&#13;&lt;img src=x onerror=alert(1)&gt;</pre></blockquote>\n",
		"<ul><li><pre>a&#13;&lt;img src=x onerror=alert(1)&gt;</pre></li></ul>\n",
		"<p><code>a&#13;&lt;img src=x onerror=alert(1)&gt;</code></p>\n",
	} {
		res, err := c.Clean("", []byte("---\nt: x\n---\n\n"+body))
		if err != nil {
			continue // refused: nothing written
		}
		out, _ := splitOut(res.Output)
		var rendered bytes.Buffer
		if err := renderer.Convert([]byte(toLF.Replace(string(out))), &rendered); err != nil {
			t.Fatal(err)
		}
		if bad := unsafeIn(rendered.Bytes()); bad != "" {
			t.Errorf("%q: read with line ends at CR, %s survives:\n%q", body, bad, out)
		}
	}
}

// A post with CRLF line ends is written with them: goldmark (Hugo's
// reader) does not read every list the same way then, so the check reads
// the body as written too.
func TestCRLFOutputChecked(t *testing.T) {
	c := defaultCleaner(t)
	body := "<ol><li><h2>x</h2></li><li></li><li><pre>&lt;img src=x onerror=alert(1)&gt;</pre></li></ol>\r\n"
	res, err := c.Clean("", []byte("---\r\nt: x\r\n---\r\n\r\n"+body))
	if err != nil {
		return // refused: nothing written
	}
	out, _ := splitOut(bytes.ReplaceAll(res.Output, []byte("\r\n"), []byte("\n")))
	written := bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	var rendered bytes.Buffer
	if err := renderer.Convert(written, &rendered); err != nil {
		t.Fatal(err)
	}
	if bad := unsafeIn(rendered.Bytes()); bad != "" {
		t.Errorf("read as written, %s survives:\n%q", bad, written)
	}
}

// A post with CR line ends only is written with them; goldmark does not
// end a line at a lone CR, so the body is checked as written.
func TestCROnlyOutputChecked(t *testing.T) {
	c := defaultCleaner(t)
	res, err := c.Clean("", []byte("---\rt: x\r---\r<p>~~~```</p><pre>&lt;img src=x onerror=alert(1)&gt;</pre>\r"))
	if err != nil {
		return // refused: nothing written
	}
	out, _ := splitOut(bytes.ReplaceAll(res.Output, []byte("\r"), []byte("\n")))
	var rendered bytes.Buffer
	if err := renderer.Convert(bytes.ReplaceAll(out, []byte("\n"), []byte("\r")), &rendered); err != nil {
		t.Fatal(err)
	}
	if bad := unsafeIn(rendered.Bytes()); bad != "" {
		t.Errorf("read as written, %s survives:\n%q", bad, res.Output)
	}
}
