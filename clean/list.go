package clean

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// Lists are rendered here rather than by the CommonMark plugin, which
// wrote every list tight, merged two lists in a row into one, and put a
// blank line between an item's text and the list nested in it (so the
// item became loose). Here:
//   - a list is loose (a blank line between items) when an item holds a
//     paragraph, or holds two blocks that can only stand apart with a
//     blank line between them; otherwise tight, its blocks on lines of
//     their own;
//   - an ordered list right after another gets the other delimiter (")"
//     after "."), which is what keeps two lists apart in CommonMark.
//     Bullet lists in a row stay one list: the other bullet would break
//     the one-bullet style linters hold posts to (markdownlint MD004), and
//     the HTML comment that could part them is raw HTML, which mdclean
//     does not write. Scrapers' one-item lists in a row read best as one
//     list anyway.

// listChunk is one rendered part of an item: a run of inline content, or
// one block element.
type listChunk struct {
	md    []byte
	block *html.Node // nil for inline content
}

func renderList(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var items [][]listChunk
	loose := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		var chunks []listChunk
		if c.Type == html.ElementNode && c.DataAtom == atom.Li {
			chunks = itemChunks(ctx, c)
			loose = loose || holdsParagraph(c)
		} else if md := renderTrimmed(ctx, c); len(md) > 0 {
			// Stray content between items reads as an item of its own.
			chunks = []listChunk{{md: md, block: blockOf(ctx, c)}}
		} else {
			continue // white space between items
		}
		for i := 1; i < len(chunks) && !loose; i++ {
			loose = !tightJoin(chunks[i-1], chunks[i])
		}
		items = append(items, chunks)
	}
	// An empty item between items stays, as the page showed it (and an
	// ordered list keeps its numbers); at either end it is debris.
	for len(items) > 0 && len(items[0]) == 0 {
		items = items[1:]
	}
	for len(items) > 0 && len(items[len(items)-1]) == 0 {
		items = items[:len(items)-1]
	}
	if len(items) == 0 {
		return converter.RenderSuccess
	}

	ordered := n.DataAtom == atom.Ol
	alternate := ordered && rules.Attr(n, otherDelimiter) != ""
	start := 1
	if s := startOf(n); ordered && s+len(items) <= 1e9 { // CommonMark reads at most nine digits
		start = s
	}
	width := len(strconv.Itoa(start + len(items) - 1))

	sep := []byte("\n")
	if loose {
		sep = []byte("\n\n")
	}
	w.WriteString("\n\n")
	for i, chunks := range items {
		prefix := "- "
		if ordered {
			num := strconv.Itoa(start + i)
			delim := ". "
			if alternate {
				delim = ") "
			}
			prefix = strings.Repeat("0", width-len(num)) + num + delim
		}
		var item []byte
		for j, ch := range chunks {
			if j > 0 {
				item = append(item, sep...)
			}
			item = append(item, ch.md...)
		}
		item = ctx.UnEscapeContent(item)
		if i > 0 {
			w.Write(sep)
		}
		if len(item) == 0 {
			w.WriteString(strings.TrimSuffix(prefix, " "))
			continue
		}
		w.WriteString(prefix)
		writeIndented(w, item, len(prefix))
	}
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// itemChunks renders an item's content: each run of inline nodes and each
// block element apart, trimmed, empty ones left out.
func itemChunks(ctx converter.Context, li *html.Node) []listChunk {
	var chunks []listChunk
	var run []*html.Node
	flush := func() {
		if len(run) == 0 {
			return
		}
		if md := renderTrimmed(ctx, run...); len(md) > 0 {
			chunks = append(chunks, listChunk{md: md})
		}
		run = run[:0]
	}
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		if blockOf(ctx, c) == nil {
			run = append(run, c)
			continue
		}
		flush()
		if md := renderTrimmed(ctx, c); len(md) > 0 {
			chunks = append(chunks, listChunk{md: md, block: c})
		}
	}
	flush()
	return chunks
}

func renderTrimmed(ctx converter.Context, nodes ...*html.Node) []byte {
	var buf bytes.Buffer
	ctx.RenderNodes(ctx, &buf, nodes...)
	return trimOutput(ctx, buf.Bytes())
}

// blockOf returns n when the converter renders it as a block of its own.
func blockOf(ctx converter.Context, n *html.Node) *html.Node {
	if isBlock(ctx, n) {
		return n
	}
	return nil
}

// holdsParagraph reports an item with a paragraph of its own, which only a
// loose list gives back.
func holdsParagraph(li *html.Node) bool {
	for c := li.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.P {
			return true
		}
	}
	return false
}

// tightJoin reports whether next may follow prev on the next line, with no
// blank line, and still be read as the block it is: a heading, rule or
// fenced code block ends where it ends, and lists, quotes, headings, rules
// and fences may interrupt a paragraph. Text after a list or a quote would
// be read into it, and after a table as a row.
func tightJoin(prev, next listChunk) bool {
	if prev.block != nil && next.block != nil && prev.block.DataAtom == atom.Blockquote && next.block.DataAtom == atom.Blockquote {
		return false // a quote right after a quote is read as its continuation
	}
	if next.block != nil && interrupts(next) {
		return true
	}
	if prev.block == nil {
		return false
	}
	switch prev.block.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr, atom.Pre:
		return true
	}
	return false
}

func interrupts(ch listChunk) bool {
	switch ch.block.DataAtom {
	case atom.Ul, atom.Blockquote, atom.Pre, atom.Hr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	case atom.Ol:
		// Only a list that starts at 1 may interrupt a paragraph.
		return startOf(ch.block) == 1
	}
	return false
}

// startOf returns the number an ordered list's start attribute gives, or 1.
func startOf(ol *html.Node) int {
	if s, err := strconv.Atoi(strings.TrimSpace(rules.Attr(ol, "start"))); err == nil && s >= 0 {
		return s
	}
	return 1
}

// otherDelimiter marks an ordered list to be written with ")": no parsed
// attribute can have a name with a space in it.
const otherDelimiter = "mdclean other-delimiter"

// markOrderedRuns marks every other ordered list of a run of ordered lists
// with nothing but white space between them, once per document, so that
// each knows its delimiter without counting the lists before it.
func markOrderedRuns(n *html.Node) {
	if n.Type != html.ElementNode || n.DataAtom != atom.Ol {
		return
	}
	p := n.PrevSibling
	for p != nil && (p.Type == html.TextNode && strings.TrimSpace(p.Data) == "" || p.Type == html.CommentNode) {
		p = p.PrevSibling
	}
	if p != nil && p.Type == html.ElementNode && p.DataAtom == atom.Ol && rules.Attr(p, otherDelimiter) == "" {
		n.Attr = append(n.Attr, html.Attribute{Key: otherDelimiter, Val: "1"})
	}
}

// writeIndented writes an item's content after its marker: every later
// line that is not blank, code lines too, indented by the marker's width.
func writeIndented(w converter.Writer, content []byte, width int) {
	indent := strings.Repeat(" ", width)
	for i, line := range bytes.Split(content, []byte("\n")) {
		if i > 0 {
			w.WriteString("\n")
		}
		// Code lines are held apart by a marker until the end.
		for j, part := range bytes.Split(line, marker.BytesMarkerCodeBlockNewline) {
			if j > 0 {
				w.Write(marker.BytesMarkerCodeBlockNewline)
			}
			if (i > 0 || j > 0) && len(part) > 0 {
				w.WriteString(indent)
			}
			w.Write(part)
		}
	}
}
