package clean

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A Markdown body is read with goldmark, a CommonMark reader, because only a
// real reader knows what a renderer will take for raw HTML or a link: a
// "<b>" in a code span is text, a "<b>" in a paragraph is HTML, and
// "[x](java\nscript:...)" is not a link. It reads GFM, as Hexo's renderers
// do: its autolinking of bare URLs changes where code spans, and so raw
// HTML, begin.
var markdownReader = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	// Raw HTML and every URL are passed on as written: the HTML cleaning
	// path that follows is the one place that decides what is safe.
	goldmark.WithRendererOptions(ghtml.WithUnsafe()),
)

// outputReader reads mdclean's own output, only to check it: table cells
// as GFM splits them and bare URLs as GFM links them, which decide where
// code spans and raw HTML begin, and task list boxes, which decide where
// a link begins ("[x](u "[a](b)")" at an item's start is a box, then
// text that holds a link). The table extension's
// rewriting of escaped pipes in cells' code and the strikethrough parser
// change nothing a check looks at, and both take time that grows with the
// square of the input (all escaped pipes of a post per cell; each run of
// tildes).
var outputReader = goldmark.New(goldmark.WithExtensions(tableCells{}, extension.Linkify, extension.TaskList))

// tableCells is the part of GFM tables that finds the cells.
type tableCells struct{}

func (tableCells) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithParagraphTransformers(util.Prioritized(extension.NewTableParagraphTransformer(), 200)))
}

// markdownBody is what reading a body as Markdown found.
type markdownBody struct {
	raw    bool // raw HTML, as a block or inline
	unsafe bool // a link, image or autolink destination that runs code
	syntax bool // Markdown syntax of its own, outside raw HTML
}

// clean reports a body that can be written back untouched.
func (m markdownBody) clean() bool { return !m.raw && !m.unsafe }

// htmlCarries reports a body whose HTML elements carry the content: it has
// raw HTML and no Markdown syntax besides, as with a scraped HTML body after
// a line of text or an "&nbsp;". Indented code is not counted as syntax:
// indented HTML reads as it.
func (m markdownBody) htmlCarries() bool { return m.raw && !m.syntax }

func readMarkdown(body []byte) (ast.Node, markdownBody) { return readWith(markdownReader, body) }

// checkOutput reports whether a reader finds neither raw HTML nor an unsafe
// destination in converted Markdown.
func checkOutput(md []byte) bool {
	_, m := readWith(outputReader, md)
	return m.clean()
}

// checkAsWritten is checkOutput for the bytes as a post holds them, read as
// goldmark alone reads them: CRLF or CR line ends, which the other readers
// take for LF, as checkOutput has already read them.
func checkAsWritten(b []byte) bool {
	_, m := readAs(outputReader, b)
	return m.clean()
}

func readWith(reader goldmark.Markdown, body []byte) (ast.Node, markdownBody) {
	doc, m := readAs(reader, body)
	// CommonMark, and so markdown-it and marked, which Hexo uses, end a
	// line at a lone carriage return too; goldmark does not. A fence or a
	// quote those readers see end there could let raw HTML out, so what
	// they find counts as well.
	if hasLoneCR(body) {
		_, lf := readAs(reader, []byte(crlf.Replace(string(body))))
		m.raw, m.unsafe = m.raw || lf.raw, m.unsafe || lf.unsafe
	}
	return doc, m
}

func hasLoneCR(b []byte) bool {
	for i, c := range b {
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			return true
		}
	}
	return false
}

func readAs(reader goldmark.Markdown, body []byte) (ast.Node, markdownBody) {
	doc := reader.Parser().Parse(text.NewReader(body))
	var m markdownBody
	check := func(dest []byte) {
		m.syntax = true
		if !safeDestination(string(dest)) {
			m.unsafe = true
		}
	}
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			m.raw = true
		case *ast.Link:
			check(n.Destination)
		case *ast.Image:
			check(n.Destination)
		case *ast.AutoLink:
			// Not counted as syntax: GFM makes one of every bare URL, and
			// HTML bodies have those in their text.
			if !safeDestination(string(n.URL(body))) {
				m.unsafe = true
			}
		case *ast.Heading, *ast.List, *ast.Blockquote, *ast.FencedCodeBlock, *ast.ThematicBreak,
			*ast.Emphasis, *ast.CodeSpan, *east.Table, *east.Strikethrough:
			m.syntax = true
		}
		return ast.WalkContinue, nil
	})
	return doc, m
}

// renderMarkdown renders a parsed Markdown body as HTML, raw HTML and all,
// for the HTML cleaning path.
func renderMarkdown(doc ast.Node, body []byte) ([]byte, error) {
	var b bytes.Buffer
	err := markdownReader.Renderer().Render(&b, body, doc)
	return b.Bytes(), err
}
