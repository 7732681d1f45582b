package clean_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// codeBlocks returns the text of every code block a Markdown reader finds
// in md, in order.
func codeBlocks(md []byte) []string {
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(md))
	var out []string
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c, ok := n.(*ast.FencedCodeBlock); ok {
			var b bytes.Buffer
			for i := 0; i < c.Lines().Len(); i++ {
				seg := c.Lines().At(i)
				b.Write(seg.Value(md))
			}
			out = append(out, b.String())
		}
		return ast.WalkContinue, nil
	})
	return out
}

// Code keeps every byte, blank lines and trailing spaces included, at the
// top level and inside lists, quotes and both nested, and the text after a
// quoted code block stays out of the quote.
func TestCodeInContainersKept(t *testing.T) {
	const code = "a  \n\n\n\n\tb   \n  c"
	c := defaultCleaner(t)
	for _, shape := range []string{
		"%s",
		"<ul><li>item%s</li></ul>",
		"<ul><li>outer<ul><li>inner%s</li></ul></li></ul>",
		"<ol><li>one</li><li>two%s</li></ol>",
		"<blockquote>%s</blockquote>",
		"<blockquote><p>q</p>%s</blockquote>",
		"<blockquote><blockquote>%s</blockquote></blockquote>",
		"<blockquote><ul><li>item%s</li></ul></blockquote>",
		"<ul><li>item<blockquote>%s</blockquote></li></ul>",
	} {
		body := strings.Replace(shape, "%s", "<pre><code>"+strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(code)+"</code></pre>", 1) + "<p>after the code</p>"
		res, err := c.Clean("", []byte("---\nt: x\n---\n"+body+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		out := res.Output[bytes.Index(res.Output, []byte("\n---\n"))+5:]
		blocks := codeBlocks(out)
		if len(blocks) != 1 || blocks[0] != code+"\n" {
			t.Errorf("%s: code read back as %q, want %q\n%s", shape, blocks, code+"\n", out)
		}
		if !bytes.Contains(out, []byte("\nafter the code\n")) {
			t.Errorf("%s: the paragraph after the code is no longer its own:\n%s", shape, out)
		}
		again, err := c.Clean("", res.Output)
		if err != nil || !bytes.Equal(again.Output, res.Output) {
			t.Errorf("%s: cleaning the output again changed it", shape)
		}
	}
}

// An image whose source is inline data or a script goes, and what the
// reader was told of it stays as text.
func TestUnsafeImageKeepsItsDescription(t *testing.T) {
	out := cleanBody(t, "<p>Sales: <img src=\"data:image/png;base64,AAAA\" alt=\"销售图表\">, "+
		"<img alt=\"the logo\" src=\"javascript:alert(1)\"> and <img src=\"data:x\"> end.</p>\n")
	for _, want := range []string{"销售图表", "the logo", "end."} {
		if !strings.Contains(out, want) {
			t.Errorf("%q lost:\n%s", want, out)
		}
	}
	for _, junk := range []string{"data:", "javascript", "!["} {
		if strings.Contains(out, junk) {
			t.Errorf("%q written:\n%s", junk, out)
		}
	}
}

// A "#" that opens a paragraph line stays escaped: it reads as text to
// CommonMark either way, but a heading missing its space to people and
// linters (markdownlint MD018).
func TestHashAtLineStartEscaped(t *testing.T) {
	out := cleanBody(t, "<p>#话题#今天</p><blockquote><p>#1 in the list</p></blockquote><p>中间 #标签# 不动</p>\n")
	for _, want := range []string{"\n\\#话题#今天\n", "\n> \\#1 in the list\n", "\n中间 #标签# 不动\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
}

// Tables are tight: cells padded to line up counted a CJK character as
// one column, so tables with Chinese text were not aligned (markdownlint
// MD060); a tight table reads the same and lints clean.
func TestTablesAreTight(t *testing.T) {
	out := cleanBody(t, "<table><tr><th>名称</th><th>数量</th></tr><tr><td>苹果</td><td>3</td></tr><tr><td>banana</td><td>12</td></tr></table>\n")
	want := "|名称|数量|\n|---|---|\n|苹果|3|\n|banana|12|\n"
	if !strings.Contains(out, want) {
		t.Errorf("want %q in:\n%s", want, out)
	}
}

// Links that touch in the HTML (a tag list a site sets apart with style)
// are written apart, or they read as one word.
func TestTouchingLinksApart(t *testing.T) {
	out := cleanBody(t, "<p>标签：<a href=\"/t/1\">手表</a><a href=\"/t/2\">穿戴</a>和<a href=\"/t/3\">其他</a></p>\n")
	if want := "[手表](/t/1) [穿戴](/t/2)和[其他](/t/3)"; !strings.Contains(out, want) {
		t.Errorf("want %q in:\n%s", want, out)
	}
}

// cleanBody cleans a post with the given body under a small front matter
// and returns the whole output.
func cleanBody(t *testing.T, body string) string {
	t.Helper()
	res, err := defaultCleaner(t).Clean("", []byte("---\nt: x\n---\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	return string(res.Output)
}
