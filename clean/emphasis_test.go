package clean_test

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/mdclean/mdclean/clean"
)

// TestEmphasisRenders converts emphasis in the places where CommonMark's
// flanking rules bite and checks, by parsing the Markdown with goldmark,
// that every emphasis element exists and no delimiter is left as text.
func TestEmphasisRenders(t *testing.T) {
	cases := []struct {
		name, html string
		strong, em int
		text       string // the rendered text, all markup dropped
	}{
		{"CJK colon before a letter", "<p><strong>注意：</strong>后面紧跟文字。</p>", 1, 0, "注意：后面紧跟文字。"},
		{"CJK full stop before a letter", "<p><strong>目标温度。</strong>冬天</p>", 1, 0, "目标温度。冬天"},
		{"quotes after a letter", "<p>一句<strong>“明天见”</strong>然后</p>", 1, 0, "一句“明天见”然后"},
		{"brackets", "<p>文字<em>（括号）</em>继续</p>", 0, 1, "文字（括号）继续"},
		{"ASCII colon", "<p>x <b>Note:</b>text</p>", 1, 0, "x Note:text"},
		{"mixed ASCII and CJK", "<p>Mixed <strong>English和中文</strong>混排</p>", 1, 0, "Mixed English和中文混排"},
		{"touching emphases (a space keeps them apart)", "<p>能<strong>自动识别的</strong><strong>模型</strong>，都</p>", 2, 0, "能自动识别的 模型，都"},
		{"touching strong and em", "<p>甲<strong>乙</strong><em>丙</em>丁</p>", 1, 1, "甲乙丙丁"},
		{"nested", "<p><strong>粗体<em>斜体</em>文字</strong>。</p>", 1, 1, "粗体斜体文字。"},
		{"nested same kind", "<p><b>外<strong>内</strong>外</b>结束</p>", 1, 0, "外内外结束"},
		{"empty", "<p>空<strong> </strong>的<em></em>强调</p>", 0, 0, "空 的强调"},
		{"in a link", `<p><a href="https://e.example/t"><i>#</i>标签</a></p>`, 0, 1, "#标签"},
		{"across a break", "<p><strong>一行<br>二行</strong>。</p>", 1, 0, "一行\n二行。"},
		{"whole heading", "<h2><strong>标题</strong></h2>", 0, 0, "标题"},
		{"part of a heading", "<h3>标题<em>部分</em>强调</h3>", 0, 1, "标题部分强调"},
		{"ASCII words", "<p>a <em>b</em> c <strong>d</strong> e</p>", 1, 1, "a b c d e"},
		{"punctuation at both ends", "<p>甲<strong>，乙，</strong>丙</p>", 1, 0, "甲，乙，丙"},
	}
	c := defaultCleaner(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, spans, plain := readBack(t, c, tc.html)
			if strong, em := spans["strong"], spans["em"]; strong != tc.strong || em != tc.em {
				t.Errorf("strong %d em %d, want %d %d\n%s", strong, em, tc.strong, tc.em, body)
			}
			if got := strings.TrimSpace(plain); got != tc.text {
				t.Errorf("text %q, want %q\n%s", got, tc.text, body)
			}
			if strings.ContainsAny(plain, "*_") {
				t.Errorf("a delimiter shows as text:\n%s", body)
			}
		})
	}
}

// TestStrikethroughRenders: struck text follows the flanking rules too
// (GFM reads "~~" as CommonMark reads "*"), across breaks, nested and
// touching other spans.
func TestStrikethroughRenders(t *testing.T) {
	cases := []struct {
		name, html string
		del        int
		text       string
	}{
		{"quotes before a letter", "<p><del>“旧说法”</del>新说法</p>", 1, "“旧说法”新说法"},
		{"currency between letters", "<p>价格<del>￥100</del>￥80</p>", 1, "价格￥100￥80"},
		{"brackets", "<p>状态<del>（已删除）</del>恢复</p>", 1, "状态（已删除）恢复"},
		{"across a break", "<p><del>a<br>b</del></p>", 1, "a\nb"},
		{"s and strike", "<p>plain <s>old</s> new and <strike>x</strike>y</p>", 2, "plain old new and xy"},
		{"nested", "<p><del>outer <del>inner</del></del></p>", 1, "outer inner"},
		{"touching bold", "<p><b>bold</b><del>struck</del>。</p>", 1, "boldstruck。"},
		{"ASCII", "<p>was <del>$5</del> now $4</p>", 1, "was $5 now $4"},
	}
	c := defaultCleaner(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, spans, plain := readBack(t, c, tc.html)
			del := spans["del"]
			if del != tc.del {
				t.Errorf("%d struck spans, want %d\n%s", del, tc.del, body)
			}
			if got := strings.TrimSpace(plain); got != tc.text {
				t.Errorf("text %q, want %q\n%s", got, tc.text, body)
			}
			if strings.Contains(plain, "~") {
				t.Errorf("a tilde shows as text:\n%s", body)
			}
		})
	}
}

// readBack cleans a body and reads the Markdown back with goldmark (GFM):
// the Markdown, how many strong, em and struck spans it holds, and its
// text with all markup dropped (a line break as "\n").
func readBack(t *testing.T, c *clean.Cleaner, body string) ([]byte, map[string]int, string) {
	t.Helper()
	res, err := c.Clean("", []byte("---\nt: x\n---\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	md, _ := splitOut(res.Output)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(md))
	spans := map[string]int{}
	var plain strings.Builder
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Emphasis:
			if v.Level == 2 {
				spans["strong"]++
			} else {
				spans["em"]++
			}
		case *east.Strikethrough:
			spans["del"]++
		case *ast.Text:
			plain.Write(v.Segment.Value(md))
			if v.HardLineBreak() || v.SoftLineBreak() {
				plain.WriteString("\n")
			}
		case *ast.String:
			plain.Write(v.Value)
		}
		return ast.WalkContinue, nil
	})
	return md, spans, plain.String()
}
