package rules

import (
	"strings"
	"testing"
)

func TestPlaceFiltersAndURLActions(t *testing.T) {
	article := `<p>Lead.</p><p>Middle <a href="/a">one</a> <a href="/b">two</a>.</p><p>Body text.</p><p>Note: all rights reserved.</p>`
	cases := []struct {
		name, rule, in, want string
		hits                 int
	}{
		{"position last keeps the middle", "select: p\ntext: '(?i)note|middle'\nposition: {last: 1}\naction: remove",
			article, `<p>Lead.</p><p>Middle <a href="/a">one</a> <a href="/b">two</a>.</p><p>Body text.</p>`, 1},
		{"position is one block, not a container", "select: div\nposition: {first: 1}\naction: remove",
			`<div><p>a</p><p>b</p></div><div>c</div>`, `<div><p>a</p><p>b</p></div><div>c</div>`, 0},
		{"max-length counts visible characters", "select: p\nmax-length: 5\naction: remove",
			"<p>12 34\u00a05</p><p>123456</p>", `<p>123456</p>`, 1},
		{"link-density min", "select: p\nlink-density: {min: 0.5}\naction: remove",
			`<p><a href="/x">Sale</a> now</p><p>Plain <a href="/y">a</a></p>`, `<p>Plain <a href="/y">a</a></p>`, 1},
		{"link-tail to the end", "select: h3\nlink-tail: {max-blocks: 3}\naction: remove-to-end",
			`<div><p>Text.</p><h3>Related</h3><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul></div>`,
			`<div><p>Text.</p></div>`, 1},
		{"link-tail fails on text after", "select: h3\nlink-tail: {max-blocks: 3}\naction: remove-to-end",
			`<h3>Related</h3><p>Not a link.</p>`, `<h3>Related</h3><p>Not a link.</p>`, 0},
		{"strip-params keeps the rest byte for byte", "select: a\naction:\n  strip-params: {params: [utm_*, FBCLID]}",
			`<a href="https://e.com/p?id=1&amp;utm_source=x&amp;q=%20a&amp;fbclid=2#top">t</a>`,
			`<a href="https://e.com/p?id=1&amp;q=%20a#top">t</a>`, 1},
		{"strip-params on hosts only", "select: a\naction:\n  strip-params: {params: [from], hosts: [weibo.com]}",
			`<a href="https://m.weibo.com/x?from=y">a</a><a href="https://e.com/x?from=y">b</a>`,
			`<a href="https://m.weibo.com/x">a</a><a href="https://e.com/x?from=y">b</a>`, 1},
		{"unwrap-url from the path", "select: a\naction: unwrap-url",
			`<a href="/go/https%3A%2F%2Fd.org%2Fp">a</a><a href="/go/aHR0cHM6Ly9kLm9yZy9x">b</a><a href="/go/javascript:x">c</a>`,
			`<a href="https://d.org/p">a</a><a href="https://d.org/q">b</a>c`, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, hits := apply(t, c.rule, c.in, Env{})
			if got != c.want || hits != c.hits {
				t.Errorf("got %s (%d hits), want %s (%d hits)", got, hits, c.want, c.hits)
			}
		})
	}
}

func TestPlaceFilterErrors(t *testing.T) {
	cases := []struct{ rule, want string }{
		{"select: p\nposition: {middle: 2}\naction: remove", `position: unknown key "middle"`},
		{"select: p\nposition: {first: 0}\naction: remove", "position: first: want a whole number of at least 1"},
		{"select: p\nmax-length: -3\naction: remove", "max-length: want a whole number"},
		{"select: p\nlink-density: {min: 2}\naction: remove", "link-density: min: want a number from 0 to 1"},
		{"select: p\nlink-tail: {min-density: 0.5}\naction: remove", "link-tail: want max-blocks"},
		{"comment: x\nposition: {last: 1}\naction: remove", "position: only with select:"},
		{"select: a\naction:\n  strip-params: {hosts: [x.com]}", "strip-params: missing params:"},
	}
	for _, c := range cases {
		src := "version: 1\nrules:\n  - name: r\n    description: d\n" + indent(c.rule)
		_, err := Parse("t.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "t.yaml:") {
			t.Errorf("%q: got %v, want %q", c.rule, err, c.want)
		}
	}
}

func TestStartsWithScheme(t *testing.T) {
	for s, want := range map[string]bool{
		"https://x.org": true, "http:x": true, "HTTPS%3A%2F%2Fx": true, "%68ttp://x": true, "h%74tps:": true,
		"": false, "http": false, "https%3": false, "httpx:": false, "%zz": false, "javascript:x": false, "ftp://x": false,
	} {
		if got := startsWithScheme(s); got != want {
			t.Errorf("startsWithScheme(%q) = %v, want %v", s, got, want)
		}
	}
}
