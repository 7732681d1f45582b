package rules

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// apply parses one rule (written as the body of a rules: list item), runs it
// on the HTML and returns the resulting <body> inner HTML and the hit count.
func apply(t *testing.T, rule, body string, env Env) (string, int) {
	t.Helper()
	src := "version: 1\nrules:\n  - name: r\n    description: test rule\n" + indent(rule)
	set, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("rule: %v", err)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	hits := set.Apply(doc, env)
	return innerBody(t, doc), hits[0]
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

func innerBody(t *testing.T, doc *html.Node) string {
	var body *html.Node
	walkElements(doc, func(n *html.Node) {
		if n.Data == "body" {
			body = n
		}
	})
	var b bytes.Buffer
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func TestApply(t *testing.T) {
	fm := Env{Fields: func() map[string]any {
		return map[string]any{
			"author":     "Site News",
			"categories": []any{"news", "tech"},
			"draft":      false,
		}
	}}
	cases := []struct {
		name, rule, in, want string
		hits                 int
		env                  Env
	}{
		{"select remove", "select: ins.ad\naction: remove",
			`<p>a<ins class="ad">x</ins>b</p><ins class="ad"></ins>`, `<p>ab</p>`, 2, Env{}},
		{"select :has", "select: 'div:has(ins)'\naction: remove",
			`<div><p><ins></ins></p></div><div><p>x</p></div>`, `<div><p>x</p></div>`, 1, Env{}},
		{"select :contains", "select: 'p:contains(\"Sponsored\")'\naction: remove",
			`<p>Sponsored content</p><p>Real</p>`, `<p>Real</p>`, 1, Env{}},
		{"select :matches", "select: 'p:matches(^\\d+$)'\naction: remove",
			`<p>123</p><p>12a</p>`, `<p>12a</p>`, 1, Env{}},
		{"text regexp on whole text", "select: p\ntext: '^Read more'\naction: remove",
			`<p><b>Read</b> more here</p><p>Do read more</p>`, `<p>Do read more</p>`, 1, Env{}},
		{"own-text ignores children", "select: div\nown-text: 'junk'\naction: remove",
			`<div><p>junk</p></div><div>junk<p>x</p></div>`, `<div><p>junk</p></div>`, 1, Env{}},
		{"empty true", "select: p\nempty: true\naction: remove",
			"<p>\u00a0\u3000\u200b <br></p><p><img src=x></p><p><span> </span></p><p>x</p><p><iframe></iframe></p>",
			`<p><img src="x"/></p><p>x</p><p><iframe></iframe></p>`, 2, Env{}},
		{"empty false", "select: p\nempty: false\naction: unwrap",
			`<p></p><p>x</p>`, `<p></p>x`, 1, Env{}},
		{"unwrap keeps content in place", "select: font\naction: unwrap",
			`<p>a<font color="red">b<i>c</i></font>d</p>`, `<p>ab<i>c</i>d</p>`, 1, Env{}},
		{"nested matches count once when an ancestor went", "select: div\naction: remove",
			`<div><div>x</div></div><div>y</div>`, ``, 2, Env{}},
		{"comment regexp", "comment: '^ad'\naction: remove",
			`<p>a<!-- ad slot -->b<!-- keep --></p>`, `<p>ab<!-- keep --></p>`, 1, Env{}},
		{"comment span across elements", "between: {start: '^start$', end: '^end$'}\naction: remove",
			`<p>keep<!--start-->drop<b>drop</b></p><div>drop</div><p>drop<!--end-->keep</p><p>keep</p>`,
			`<p>keep</p><p>keep</p><p>keep</p>`, 6, Env{}},
		{"comment span unterminated is left alone", "between: {start: '^start$', end: '^end$'}\naction: remove",
			`<p>a<!--start-->b</p><p>c</p>`, `<p>a<!--start-->b</p><p>c</p>`, 0, Env{}},
		{"two comment spans", "between: {start: '^s$', end: '^e$'}\naction: remove",
			`<p><!--s-->x<!--e-->y<!--s-->z<!--e-->w</p>`, `<p>yw</p>`, 6, Env{}},
		{"when front-matter regexp holds", "select: p\nwhen:\n  front-matter:\n    author: '^Site'\naction: remove",
			`<p>x</p>`, ``, 1, fm},
		{"when front-matter regexp fails", "select: p\nwhen:\n  front-matter:\n    author: '^Other'\naction: remove",
			`<p>x</p>`, `<p>x</p>`, 0, fm},
		{"when has list member", "select: p\nwhen:\n  front-matter:\n    categories: {has: tech}\naction: remove",
			`<p>x</p>`, ``, 1, fm},
		{"when has is exact", "select: p\nwhen:\n  front-matter:\n    categories: {has: tec}\naction: remove",
			`<p>x</p>`, `<p>x</p>`, 0, fm},
		{"when regexp on list", "select: p\nwhen:\n  front-matter:\n    categories: {matches: '^te'}\naction: remove",
			`<p>x</p>`, ``, 1, fm},
		{"when missing field", "select: p\nwhen:\n  front-matter:\n    tags: x\naction: remove",
			`<p>x</p>`, `<p>x</p>`, 0, fm},
		{"when no front matter", "select: p\nwhen:\n  front-matter:\n    author: .\naction: remove",
			`<p>x</p>`, `<p>x</p>`, 0, Env{}},
		{"when body", "select: p\nwhen:\n  body: 'data-ad'\naction: remove",
			`<p>x</p>`, ``, 1, Env{Body: []byte(`<p data-ad>`)}},
		{"when all must hold", "select: p\nwhen:\n  front-matter:\n    author: Site\n    draft: 'true'\naction: remove",
			`<p>x</p>`, `<p>x</p>`, 0, fm},
		{"replace-text", "select: p\naction:\n  replace-text: {pattern: 'THE (END)', with: '$1.'}",
			`<p>a THE END <b>THE END</b></p><div>THE END</div>`, `<p>a END. <b>END.</b></p><div>THE END</div>`, 1, Env{}},
		{"replace-text at the end", "select: p\naction:\n  replace-text: {pattern: '\\s*\\(X\\)\\s*$', with: '', at: end}",
			`<p>a (X)<a href="/">b</a> c (X) </p><p>d (X)</p>`, `<p>a (X)<a href="/">b</a> c</p><p>d</p>`, 2, Env{}},
		{"replace-text at the start", "select: p\naction:\n  replace-text: {pattern: '^\\(X\\)\\s*', with: '', at: start}",
			`<p> <b>(X) a</b> b<i>(X) c</i></p>`, `<p> <b>a</b> b<i>(X) c</i></p>`, 1, Env{}},
		{"trim edges and runs", "select: p\naction: trim",
			"<p>\u3000\u00a0<br> a<br><br> <br>b <br>\u00a0</p>", `<p>a<br/> b</p>`, 1, Env{}},
		{"trim through inline elements", "select: p\naction: trim",
			"<p><span>\u3000\u3000<br></span><b>a</b><span><br></span></p>", `<p><span></span><b>a</b><span></span></p>`, 1, Env{}},
		{"trim runs split by blocks", "select: div\naction: trim",
			`<div><br><p>x</p><br> <br><p>y</p>tail<br></div>`, `<div><p>x</p><p>y</p>tail</div>`, 1, Env{}},
		{"trim leaves pre alone", "select: pre, p\naction: trim",
			"<pre>  a<br><br></pre><p>x<code> y </code> </p>", "<pre>  a<br/><br/></pre><p>x<code> y </code></p>", 1, Env{}},
		{"link-to-source", "select: iframe, video\naction: link-to-source",
			`<p>x</p><iframe src="//player.example.com/v/1" title="Clip"></iframe><video><source src="https://e.com/a.mp4"></video><iframe src="javascript:alert(1)"></iframe><iframe></iframe>`,
			`<p>x</p><p><a href="https://player.example.com/v/1">Clip</a></p><p><a href="https://e.com/a.mp4">▶</a></p>`, 4, Env{}},
		{"link-to-source with a label", "select: iframe\naction: {link-to-source: {text: Video}}",
			`<iframe src="https://v.example.com/1"></iframe>`, `<p><a href="https://v.example.com/1">Video</a></p>`, 1, Env{}},
		{"breaks-to-newlines", "select: pre\naction: breaks-to-newlines",
			"<pre>a<br>\nb<br>c<span>d<br></span>\ne<br></pre>", "<pre>a\nb\nc<span>d</span>\ne\n</pre>", 1, Env{}},
		{"pre-to-text", "select: pre\naction: pre-to-text",
			"<pre>第一段第一行\n第一段第二行\n\n第二段 <b>粗体</b>\n</pre>",
			"<div><p>第一段第一行<br/>第一段第二行</p><p>第二段 <b>粗体</b><br/></p></div>", 1, Env{}},
		{"split-paragraphs", "select: div\naction: split-paragraphs",
			"<div><br>one<br>\n<br>two<br>three<br><br> <br>four<h3>h</h3>five<br><br></div><div>a<br>b</div>",
			"<div><p>one</p><p>two<br/>three</p><p>four</p><h3>h</h3><p>five</p></div><div>a<br/>b</div>", 1, Env{}},
		{"replace-attr strips an image proxy", "select: img\naction:\n  replace-attr: {attr: src, pattern: '^https://proxy\\.example\\.dev/\\?', with: ''}",
			`<img src="https://proxy.example.dev/?http://a.example/x.jpg"><img src="http://b.example/y.jpg">`,
			`<img src="http://a.example/x.jpg"/><img src="http://b.example/y.jpg"/>`, 1, Env{}},
		{"set-attr from lazy attributes", "select: img\naction:\n  set-attr: {attr: src, from: [data-original, data-src, srcset]}",
			`<img data-src="b.jpg"><img src="keep.jpg" data-src="no.jpg"><img srcset="s1.jpg 1x, s2.jpg 2x"><img src="">`,
			`<img data-src="b.jpg" src="b.jpg"/><img src="keep.jpg" data-src="no.jpg"/><img srcset="s1.jpg 1x, s2.jpg 2x" src="s1.jpg"/><img src=""/>`, 2, Env{}},
		{"set-attr keeps a proxy of the same image", "select: img\naction:\n  set-attr: {attr: src, from: data-original, replace: '.'}",
			`<img src="https://proxy.example/?http://a.example/x.jpg" data-original="http://a.example/x.jpg"><img src="thumb.jpg" data-original="http://a.example/y.jpg">`,
			`<img src="https://proxy.example/?http://a.example/x.jpg" data-original="http://a.example/x.jpg"/><img src="http://a.example/y.jpg" data-original="http://a.example/y.jpg"/>`, 1, Env{}},
		{"set-attr replaces a placeholder", "select: img\naction:\n  set-attr: {attr: src, from: data-original, replace: 'grey\\.gif$|^data:'}",
			`<img src="/grey.gif" data-original="full.jpg"><img src="data:image/gif;base64,R0" data-original="f2.jpg"><img src="thumb.jpg" data-original="full.jpg">`,
			`<img src="full.jpg" data-original="full.jpg"/><img src="f2.jpg" data-original="f2.jpg"/><img src="thumb.jpg" data-original="full.jpg"/>`, 2, Env{}},
		{"remove-attr by name and pattern", "select: '*'\naction:\n  remove-attr: {names: [style], pattern: '^on'}",
			`<p style="x" onclick="a()" class="k" onMouseOver="b()">t</p>`, `<p class="k">t</p>`, 1, Env{}},
		{"unwrap-url takes the destination", "select: a\naction:\n  unwrap-url: {params: [url, t]}",
			`<a href="https://r.example.com/go?url=https%3A%2F%2Fdest.example.org%2Fa%3Fb%3D1">x</a><a href="https://t.example.com/track.php?site=1&t=https://shop.example.com/">y</a>`,
			`<a href="https://dest.example.org/a?b=1">x</a><a href="https://shop.example.com/">y</a>`, 2, Env{}},
		{"unwrap-url with no destination keeps the text", "select: 'a[href*=\"track.php\"]'\naction: unwrap-url",
			`<p>buy <a href="https://t.example.com/track.php?k=opaque123">this</a> now <a href="https://plain.example.com/">ok</a></p>`,
			`<p>buy this now <a href="https://plain.example.com/">ok</a></p>`, 1, Env{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, hits := apply(t, c.rule, c.in, c.env)
			if got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if hits != c.hits {
				t.Errorf("hits = %d, want %d", hits, c.hits)
			}
		})
	}
}

func TestTrace(t *testing.T) {
	set, err := Parse("t.yaml", []byte("version: 1\nrules:\n  - name: drop-b\n    description: d\n    select: b\n    action: remove\n"))
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := html.Parse(strings.NewReader(`<b>1</b><i>2</i><b>3</b>`))
	var seen []string
	set.Apply(doc, Env{Trace: func(r *Rule, n *html.Node) { seen = append(seen, r.Name+":"+Text(n)) }})
	if strings.Join(seen, ",") != "drop-b:1,drop-b:3" {
		t.Errorf("trace saw %v", seen)
	}
}

func TestIsSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://example.com/":     true,
		"/relative/path":           true,
		"page.html#x:y":            true,
		"mailto:a@example.com":     true,
		"javascript:alert(1)":      false,
		"JavaScript:alert(1)":      false,
		" java\tscript:alert(1)":   false,
		"java\nscript:alert(1)":    false,
		"\x01javascript:alert(1)":  false,
		"vbscript:msgbox(1)":       false,
		"data:text/html;base64,xx": false,
	} {
		if got := IsSafeURL(u); got != want {
			t.Errorf("IsSafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func walkElements(root *html.Node, fn func(*html.Node)) {
	walk(root, func(n *html.Node) {
		if n.Type == html.ElementNode {
			fn(n)
		}
	})
}

// A line target takes a run of inline content between <br>s and block
// edges, with the <br> that ends it; never a line that runs on through an
// element holding a <br>, nor one away from the edge it is placed at.
func TestLineTarget(t *testing.T) {
	rule := "line: '^下一篇：'\nposition: {last: 2}\naction: remove"
	for _, c := range []struct{ in, want string }{
		{`<div><p>正文。</p>上一篇：<a href="/a">甲</a><br>下一篇：<a href="/b">乙</a><br></div>`,
			`<div><p>正文。</p>上一篇：<a href="/a">甲</a><br/></div>`},
		{`<div><p>正文。</p><span>下一篇：<br><a href="/b">乙</a></span></div>`,
			`<div><p>正文。</p><span>下一篇：<br/><a href="/b">乙</a></span></div>`},
		{`<div>下一篇：<a href="/b">乙</a><br><p>一</p><p>二</p><p>三</p></div>`,
			`<div>下一篇：<a href="/b">乙</a><br/><p>一</p><p>二</p><p>三</p></div>`},
	} {
		if got, _ := apply(t, rule, c.in, Env{}); got != c.want {
			t.Errorf("%s\ngot  %s\nwant %s", c.in, got, c.want)
		}
	}
}

// position's text-only counts the blocks that hold text: a tag closing the
// last paragraph is at the end, whatever pictures follow it.
func TestPositionTextOnly(t *testing.T) {
	in := `<p>一</p><p>二[某网 报道]</p><p><img src="a.png"></p><p><img src="b.png"></p><p><img src="c.png"></p>`
	for _, c := range []struct{ place, want string }{
		{"{last: 1}", in},
		{"{last: 1, text-only: true}", strings.Replace(in, "<p>二[某网 报道]</p>", "", 1)},
	} {
		rule := "select: p\nposition: " + c.place + "\ntext: '报道\\]$'\naction: remove"
		if got, _ := apply(t, rule, in, Env{}); got != strings.ReplaceAll(c.want, `">`, `"/>`) {
			t.Errorf("position %s:\ngot  %s\nwant %s", c.place, got, c.want)
		}
	}
}
