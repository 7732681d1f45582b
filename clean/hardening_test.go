package clean_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/mdclean/mdclean/clean"
)

// TestBadInputs is the bad-input matrix of the README, case by case: each
// either cleans, warns in one line, or fails in one line, and never panics.
func TestBadInputs(t *testing.T) {
	gbk := func(s string) []byte { b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s)); return b }
	big5 := func(s string) []byte { b, _ := traditionalchinese.Big5.NewEncoder().Bytes([]byte(s)); return b }
	zh := "这个问题我们已经发现了，他们说会对后面的开发有关系，现在还没有动。"
	zhT := "這個問題我們已經發現了，他們說會對後面的開發有關係，現在還沒有動。"

	cases := []struct {
		name    string
		in      []byte
		out     string // expected output; "" with keep means the input
		keep    bool   // output is the input, byte for byte
		warn    string // start of the one-line warning, if any
		err     string // start of the error, if any
		changed bool
	}{
		{name: "empty file", in: nil, keep: true},
		{name: "front matter only", in: []byte("---\ntitle: x\n---\n"), keep: true},
		{name: "front matter never closed", in: []byte("---\ntitle: x\n<p>y</p>\n"), err: "front matter opened on line 1 is never closed"},
		// Front matter is parsed when a rule's condition may need it (here a
		// source pack's, on categories): only then does a parse error change
		// what the rules do, and only then is it worth a warning.
		{name: "invalid YAML", in: []byte("---\ncategories: [掘金\n---\n<p>y</p>\n"), out: "---\ncategories: [掘金\n---\n\ny\n", warn: "front matter is not valid YAML"},
		{name: "invalid TOML", in: []byte("+++\ncategories = [\"掘金\"\n+++\n<p>y</p>\n"), out: "+++\ncategories = [\"掘金\"\n+++\n\ny\n", warn: "front matter is not valid TOML"},
		{name: "invalid JSON", in: []byte("{\"categories\": [\"掘金\"}\n;;;\n<p>y</p>\n"), out: "{\"categories\": [\"掘金\"}\n;;;\n\ny\n", warn: "front matter is not valid JSON"},
		{name: "tabs in YAML front matter", in: []byte("---\ncategories: 掘金\n\tauthor: y\n---\n<p>z</p>\n"), out: "---\ncategories: 掘金\n\tauthor: y\n---\n\nz\n", warn: "front matter is not valid YAML"},
		{name: "invalid YAML no condition needs", in: []byte("---\ntitle: [x\n---\n<p>y</p>\n"), out: "---\ntitle: [x\n---\n\ny\n"},
		{name: "UTF-16LE with a byte-order mark", in: utf16Post(false), out: "---\ntitle: x\n---\n\n你好 world\n", warn: "decoded from utf-16le; written as UTF-8"},
		{name: "UTF-16BE with a byte-order mark", in: utf16Post(true), out: "---\ntitle: x\n---\n\n你好 world\n", warn: "decoded from utf-16be; written as UTF-8"},
		{name: "UTF-16 byte-order mark, odd length", in: []byte("\xff\xfe---"), err: "begins with a UTF-16 byte-order mark but is not valid UTF-16LE; not cleaned"},
		{name: "NUL bytes", in: []byte("---\nt: x\n---\n<p>a\x00b<script>x</script></p>"), err: "not a text post (NUL byte at offset 17); not cleaned"},
		{name: "GBK declared by meta charset", in: append([]byte("---\nt: x\n---\n<meta charset=\"gbk\"><p>"), append(gbk(zh), "</p>\n"...)...),
			out: "---\nt: x\n---\n\n" + zh + "\n", warn: "decoded from gbk; written as UTF-8", changed: true},
		{name: "GB18030 detected", in: append([]byte("---\nt: x\n---\n<p>"), append(gbk(zh), "</p>\n"...)...),
			out: "---\nt: x\n---\n\n" + zh + "\n", warn: "decoded from gb18030; written as UTF-8", changed: true},
		{name: "Big5 detected", in: append([]byte("---\nt: x\n---\n<p>"), append(big5(zhT), "</p>\n"...)...),
			out: "---\nt: x\n---\n\n" + zhT + "\n", warn: "decoded from big5; written as UTF-8", changed: true},
		{name: "invalid UTF-8, no encoding", in: []byte("---\nt: x\n---\n<p>ok \xff\xfe\xfd</p>\n"), err: "invalid UTF-8 at byte offset 19"},
		{name: "BOM", in: []byte("\ufeff---\nt: x\n---\n<p>y</p>\n"), out: "\ufeff---\nt: x\n---\n\ny\n", changed: true},
		{name: "CRLF", in: []byte("---\r\nt: x\r\n---\r\n<p>y<br>z</p>\r\n"), out: "---\r\nt: x\r\n---\r\n\r\ny\\\r\nz\r\n", changed: true},
		{name: "CR only", in: []byte("---\rt: x\r---\r<p>y</p><p>z</p>\r"), out: "---\rt: x\r---\r\ry\r\rz\r", changed: true},
		// The runes mdclean marks emphasis with internally make no emphasis
		// when a post holds them: they are dropped.
		{name: "private-use marker runes", in: []byte("---\nt: x\n---\n<p>a\ue010b\ue011 <b>c</b>\ue013 d<img src=\"p.png\" alt=\"i\ue012j\"></p>\n"),
			out: "---\nt: x\n---\n\nab **c** d![ij](p.png)\n", changed: true},
		{name: "HTML nested 100,000 deep", in: []byte("---\nt: x\n---\n" + strings.Repeat("<div>", 100000) + "x"),
			err: "parsing HTML body: html: open stack of elements exceeds 512 nodes; not cleaned"},
	}
	c := defaultCleaner(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Clean("post.md", tc.in)
			if tc.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %v, want one line starting %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			want := tc.out
			if tc.keep {
				want = string(tc.in)
			}
			if string(res.Output) != want {
				t.Errorf("output %q\nwant   %q", res.Output, want)
			}
			switch {
			case tc.warn == "" && res.Warning != nil:
				t.Errorf("unexpected warning %v", res.Warning)
			case tc.warn != "" && (res.Warning == nil || !strings.HasPrefix(res.Warning.Error(), tc.warn)):
				t.Errorf("warning %v, want %q", res.Warning, tc.warn)
			}
			if res.Changed(tc.in) != (tc.changed || !tc.keep && want != string(tc.in)) {
				t.Errorf("changed = %v", res.Changed(tc.in))
			}
			again, err := c.Clean("post.md", res.Output)
			if err != nil || !bytes.Equal(again.Output, res.Output) {
				t.Errorf("second pass: %v, %q", err, again.Output)
			}
		})
	}
	var ee *clean.EncodingError
	if _, err := c.Clean("", []byte("<p>\xff</p>")); !errors.As(err, &ee) || ee.Offset != 3 {
		t.Errorf("EncodingError offset: %v", err)
	}
}

// TestWideAndLongInputs cleans inputs that are large in one dimension.
func TestWideAndLongInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	c := defaultCleaner(t)
	for name, body := range map[string]string{
		"100,000 siblings": "<div>" + strings.Repeat("<span>x</span>", 100000) + "</div>",
		"10 MB attribute":  `<p><img src="https://e.example/a.jpg" alt="` + strings.Repeat("a", 10<<20) + `"></p>`,
		"10 MB line":       "<p>" + strings.Repeat("word ", 2<<20) + "</p>",
		"500 deep":         strings.Repeat("<div>", 500) + "deep" + strings.Repeat("</div>", 500),
		// A redirect's path is searched for the URL it carries: once, not
		// again from every slash (which took minutes here).
		"1 MB redirect path": `<p><a href="https://s.click.taobao.com/` + strings.Repeat("a/", 500000) + `">link</a></p>`,
		// Every wrapper of one long last paragraph is a candidate of the
		// end-of-article rules: they measure it before reading its text.
		"500 wrappers around a 360 KB paragraph": strings.Repeat("<div>\n", 500) + "<p>" + strings.Repeat("新闻正文内容，", 20000) +
			"[新华社 报道]</p>" + strings.Repeat("\n</div>", 500),
		// Emphasis delimiters are placed in one pass over a line, however
		// many spans it has (rescanning it after each took minutes here).
		"40,000 bold spans in one paragraph": "<p>" + strings.Repeat("x<b>，bold</b>y ", 40000) + "</p>",
		// Template openers are told from code by walking both in order, not
		// by testing every opener against every code span.
		"40,000 code spans beside template text": "<p>" + strings.Repeat("<code>{{x}}</code> {{y}} ", 40000) + "</p>",
	} {
		res, err := c.Clean("", []byte("---\nt: x\n---\n"+body))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !res.Converted || len(res.Output) <= len("---\nt: x\n---\n\n") {
			t.Errorf("%s: output %d bytes", name, len(res.Output))
		}
	}
}

func TestTemplates(t *testing.T) {
	post := "---\nt: x\n---\n<p>Vue binds {{ name }} here.</p><p>Plain text.</p><pre><code>{% if x %}y{% endif %}\n\nz</code></pre><p>Literal {% raw %}{{a}}{% endraw %} kept.</p>"
	plain, err := defaultCleaner(t).Clean("", []byte(post))
	if err != nil {
		t.Fatal(err)
	}
	if !plain.Templates || !strings.Contains(string(plain.Output), "Vue binds {{ name }} here.") {
		t.Errorf("without escaping: templates %v\n%s", plain.Templates, plain.Output)
	}
	c := escapingCleaner(t)
	res, err := c.Clean("", []byte(post))
	if err != nil {
		t.Fatal(err)
	}
	// Each opener outside code is escaped on its own, so a raw block in
	// the text cannot leave what follows it live; code is Hexo's to keep.
	want := "---\nt: x\n---\n\nVue binds {{ \"{{\" }} name }} here.\n\nPlain text.\n\n```\n{% if x %}y{% endif %}\n\nz\n```\n\n" +
		"Literal {{ \"{%\" }} raw %}{{ \"{{\" }}a}}{{ \"{%\" }} endraw %} kept.\n"
	if string(res.Output) != want {
		t.Errorf("escaped output\n%s\nwant\n%s", res.Output, want)
	}
	if res.Templates {
		t.Error("escaped output still counted as holding template syntax")
	}
	again, _ := c.Clean("", res.Output)
	if !bytes.Equal(again.Output, res.Output) {
		t.Error("escaping is not idempotent")
	}
	if clean.HasTemplateSyntax([]byte("a { b } c")) || !clean.HasTemplateSyntax([]byte("{#comment#}")) {
		t.Error("HasTemplateSyntax")
	}
}

func escapingCleaner(t *testing.T) *clean.Cleaner {
	d := defaultCleaner(t)
	return clean.New(clean.Options{Rules: d.Rules(), EscapeTemplates: true})
}

// TestBodyThatLooksLikeFrontMatter: with no front matter, Markdown whose
// first line reads as a front matter delimiter is escaped, or Hexo and the
// next run would take the article for front matter.
func TestBodyThatLooksLikeFrontMatter(t *testing.T) {
	c := defaultCleaner(t)
	for in, want := range map[string]string{
		"<A>;;;":                      "\\;;;\n",
		"<p>+++</p><p>text</p>":       "\\+++\n\ntext\n",
		"<p>{\"a\": 1}</p><p>;;;</p>": "\\{\"a\": 1}\n\n;;;\n",
		"<p>a ;;; b</p>":              "a ;;; b\n",
		"\n\n<p>;;;</p><p>;;;</p>":    "\n\n\\;;;\n\n;;;\n",
	} {
		res, err := c.Clean("", []byte(in))
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if string(res.Output) != want {
			t.Errorf("%q: got %q, want %q", in, res.Output, want)
		}
		p, err := clean.Split(res.Output)
		if err != nil || p.Format != "" {
			t.Errorf("%q: output %q reads as front matter (%v)", in, res.Output, err)
		}
	}
}

// Template text in a link title or an image's description, title or source
// is written inert without breaking the link or image: a Markdown reader
// still finds them, with the text as it was.
func TestTemplatesInAttributes(t *testing.T) {
	post := "---\nt: x\n---\n<p><img src=\"/a/{{1}}.png\" alt=\"x{%y\" title=\"t {#c\"> <a href=\"/b/{{2}}\" title=\"{#c #}\">l</a></p>\n"
	res, err := escapingCleaner(t).Clean("", []byte(post))
	if err != nil {
		t.Fatal(err)
	}
	if res.Templates {
		t.Errorf("template syntax left:\n%s", res.Output)
	}
	body, _ := splitOut(res.Output)
	var rendered bytes.Buffer
	if err := renderer.Convert(body, &rendered); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<img src="/a/%7B%7B1%7D%7D.png" alt="x{%y" title="t {#c">`, `<a href="/b/%7B%7B2%7D%7D" title="{#c #}">l</a>`} {
		if !strings.Contains(rendered.String(), want) {
			t.Errorf("rendered page lacks %s:\n%s\nMarkdown:\n%s", want, rendered.String(), body)
		}
	}
}

// A Markdown body kept as it is gets its template text escaped too, once.
func TestTemplatesInKeptMarkdown(t *testing.T) {
	post := "---\nt: x\n---\n\nVue binds {{ name }} and `{{ code }}` stays.\n"
	res, err := escapingCleaner(t).Clean("", []byte(post))
	if err != nil {
		t.Fatal(err)
	}
	want := "---\nt: x\n---\n\nVue binds {{ \"{{\" }} name }} and `{{ code }}` stays.\n"
	if string(res.Output) != want || res.Templates {
		t.Errorf("escaped: %q (templates %v), want %q", res.Output, res.Templates, want)
	}
	again, _ := escapingCleaner(t).Clean("", res.Output)
	if !bytes.Equal(again.Output, res.Output) {
		t.Errorf("not idempotent: %q", again.Output)
	}
	plain, _ := defaultCleaner(t).Clean("", []byte(post))
	if string(plain.Output) != post || !plain.Templates {
		t.Errorf("without the flag: %q (templates %v)", plain.Output, plain.Templates)
	}
}

// utf16Post is a small post in UTF-16 with its byte-order mark.
func utf16Post(bigEndian bool) []byte {
	var b []byte
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	} else {
		b = []byte{0xFF, 0xFE}
	}
	for _, r := range "---\ntitle: x\n---\n<p>你好 world</p>\n" {
		if bigEndian {
			b = append(b, byte(r>>8), byte(r))
		} else {
			b = append(b, byte(r), byte(r>>8))
		}
	}
	return b
}
