package clean

import (
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// newConverter builds the HTML-to-Markdown converter: CommonMark with GFM
// tables and strikethrough, ATX headings, fenced code, "-" bullets and no
// line wrapping (CJK text must never be reflowed). Each Cleaner builds one;
// it is safe for concurrent use.
func newConverter() *converter.Converter { return newConverterOn(base{}) }

// newConverterOn builds the converter on the given base plugin; tests hold
// mdclean's own base to the library's.
func newConverterOn(base converter.Plugin) *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base,
		commonmark.NewCommonmarkPlugin(
			commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
			commonmark.WithBulletListMarker("-"),
			commonmark.WithCodeBlockFence("```"),
			commonmark.WithHorizontalRule("* * *"),
			// The end-of-list comment would be raw HTML in the output.
			commonmark.WithListEndComment(false),
			commonmark.WithLinkEmptyHrefBehavior(commonmark.LinkBehaviorSkip),
			commonmark.WithLinkEmptyContentBehavior(commonmark.LinkBehaviorSkip),
		),
		// Tight tables ("|a|b|"): padding cells to line up counts runes, and
		// a CJK rune is two columns wide, so "aligned" tables with Chinese
		// text were neither aligned nor lint-clean (markdownlint MD060).
		table.NewTablePlugin(table.WithCellPaddingBehavior(table.CellPaddingBehaviorNone)),
		strikethrough.NewStrikethroughPlugin(),
		safety{},
	))
}

// safety keeps anything executable out of the Markdown whatever the rules
// say: Hexo renders raw HTML and links unsanitised, so this is not left to
// rules a user can disable.
type safety struct{}

func (safety) Name() string { return "mdclean-safety" }

func (safety) Init(conv *converter.Converter) error {
	conv.Register.PreRenderer(stripExecutable, converter.PriorityEarly-10)
	// One renderer for all our elements: the converter sorts its list of
	// renderers for every node it renders, so each one registered costs.
	conv.Register.Renderer(render, converter.PriorityEarly)
	// Before the commonmark plugin merges touching emphasis (PriorityStandard).
	conv.Register.PreRenderer(prepareRender, converter.PriorityEarly)
	// After the converter's own unescaping (PriorityStandard+20).
	conv.Register.PostRenderer(placeDelimiters, converter.PriorityLate)
	conv.Register.UnEscaper(keepHashAtLineStart, converter.PriorityStandard)
	conv.Register.UnEscaper(keepEscape, converter.PriorityEarly)
	return nil
}

func render(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode {
		return converter.RenderTryNext
	}
	// The CommonMark plugin renames elements where their Markdown cannot
	// stand (a <pre> in a link becomes code, a heading in a list item
	// strong) by their name alone: the name decides.
	a := n.DataAtom
	if a == 0 || a.String() != n.Data {
		a = atom.Lookup([]byte(n.Data))
	}
	switch a {
	case 0:
		if n.Data == innerEm || n.Data == innerStrong {
			return renderEmphasis(ctx, w, n)
		}
	case atom.Br:
		return renderBreak(ctx, w, n)
	case atom.Img:
		return renderImage(ctx, w, n)
	case atom.B, atom.Strong, atom.Em, atom.I, atom.Del, atom.S, atom.Strike:
		return renderEmphasis(ctx, w, n)
	case atom.Blockquote:
		return renderQuote(ctx, w, n)
	case atom.Ul, atom.Ol:
		return renderList(ctx, w, n)
	case atom.A:
		return renderLink(ctx, w, n)
	case atom.Pre:
		return renderCodeBlock(ctx, w, n)
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt, atom.Var:
		return renderCodeSpan(ctx, w, n)
	}
	return converter.RenderTryNext
}

// renderImage writes an image with its source as written. The converter's
// own renderer re-encodes query strings, which breaks image proxies of the
// form https://proxy.example/?http://site/img.jpg that scraped sites use to
// get around hotlink protection; here only what Markdown syntax needs is
// escaped.
func renderImage(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	src := strings.TrimSpace(rules.Attr(n, "src"))
	if src == "" {
		return converter.RenderTryNext
	}
	w.WriteString("![")
	w.WriteString(escapeBrackets(oneLine(rules.Attr(n, "alt"))))
	writeTarget(w, src, n)
	return converter.RenderSuccess
}

// urlEscaper escapes what would end or break a Markdown link destination,
// and nothing else (inertURL has already encoded what could decode into a
// scheme or pair with a code span): white space and angle brackets are
// percent-encoded, parentheses written behind a backslash, which a reader
// takes away again.
var urlEscaper = strings.NewReplacer(" ", "%20", "(", `\(`, ")", `\)`, "<", "%3C", ">", "%3E",
	"\n", "%0A", "\r", "%0D", "\t", "%09")

// titleEscaper keeps a title inside its quotes (sanitizeAttrs has already
// written its "<" and backticks as references), and its brackets behind a
// backslash: should a reader not take the link for one (goldmark's task
// lists take "[x](" at an item's start for a check box), the title's text
// must not hold a link of its own.
var titleEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `[`, `\[`, `]`, `\]`)

// A backtick anywhere in an image's description would pair with one of a
// later code span (code spans take precedence over links) and let that
// span's content out as raw HTML; "<" could open raw HTML there. Both are
// written as character references, which mean the same characters to
// every reader even where a bare URL before the image takes in the
// backslash an escape would need (marked's and markdown-it's autolinks).
var bracketEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, "`", "&#96;", "<", "&lt;", ">", "&gt;")

func escapeBrackets(s string) string { return bracketEscaper.Replace(s) }

// unsafeElements run code or load other pages; their content is never text.
var unsafeElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Frame: true, atom.Frameset: true,
	atom.Object: true, atom.Embed: true, atom.Applet: true, atom.Base: true, atom.Meta: true,
	atom.Link: true, atom.Noscript: true, atom.Template: true,
}

func stripExecutable(_ converter.Context, doc *html.Node) {
	var drop []*html.Node
	var visit func(n *html.Node, inCell, inCode bool)
	visit = func(n *html.Node, inCell, inCode bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && inCell && inCode {
				guardCode(c)
			}
			if c.Type != html.ElementNode {
				continue
			}
			if unsafeElements[c.DataAtom] {
				drop = append(drop, c)
				continue
			}
			if alt, gone := sanitizeAttrs(c); gone {
				// Its only source was executable or inline data: the
				// picture goes, what the reader was told of it stays.
				if alt = strings.TrimSpace(alt); alt != "" {
					n.InsertBefore(&html.Node{Type: html.TextNode, Data: alt}, c)
				}
				drop = append(drop, c)
				continue
			}
			cell, code := inCell, inCode
			switch c.DataAtom {
			case atom.Td, atom.Th:
				cell, code = true, false
			case atom.Pre:
				code = true
				keepLanguage(c)
			case atom.Code, atom.Kbd, atom.Samp, atom.Tt, atom.Var:
				code = true // all written as code spans
			}
			if cell {
				guardAttrs(c)
			}
			visit(c, cell, code)
		}
	}
	visit(doc, false, false)
	for _, n := range drop {
		n.Parent.RemoveChild(n)
	}
}

// A "|" inside a table cell must not end the cell. GFM splits a row at
// every unescaped "|" before it reads code spans or links, so a pipe in a
// cell's code or in a title would cut the cell in two and could let the
// rest out as raw HTML. The converter escapes pipes in text; code gets
// "\|" (which GFM reads as "|" in a cell, code included), and titles and
// descriptions a character reference.
func guardCode(t *html.Node) { t.Data = strings.ReplaceAll(t.Data, "|", `\|`) }

func guardAttrs(n *html.Node) {
	for i, a := range n.Attr {
		if a.Key == "title" || a.Key == "alt" {
			n.Attr[i].Val = strings.ReplaceAll(a.Val, "|", "&#124;")
		}
	}
}

// sanitizeAttrs removes event handlers and executable URLs, and makes the
// URLs that will be written as Markdown destinations inert. For an image
// whose source goes (a script or inline data: URL, never written as a
// destination), it reports gone and the image's description.
func sanitizeAttrs(n *html.Node) (alt string, gone bool) {
	kept := n.Attr[:0] // written over n.Attr as it is read
	badSrc := false
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if key == "alt" {
			alt = a.Val
		}
		switch {
		case strings.HasPrefix(key, "on"):
			continue
		case urlAttrs[key] && !safeDestination(a.Val):
			if key == "src" {
				badSrc = true
			}
			continue
		case key == "href" || key == "src":
			a.Val = inertURL(a.Val) // they become Markdown destinations
		case key == "title":
			// A link title keeps no raw "<" (should the link ever not
			// parse, its title must not read as HTML) and no backtick
			// (it would pair with a later code span, which takes
			// precedence over the link): character references read the same.
			a.Val = titleChars.Replace(inertTemplates(literalAmpersands(a.Val)))
		case key == "alt":
			a.Val = inertTemplates(literalAmpersands(a.Val)) // a description; escaped when written
		}
		kept = append(kept, a)
	}
	if badSrc && n.DataAtom == atom.Img {
		n.Attr = nil
		return alt, true
	}
	n.Attr = kept
	return "", false
}

// inertTemplates writes the brace or hash that opens or closes template
// syntax ("{{", "{%", "{#", "#}") in an attribute as a character
// reference: a Markdown reader shows the same text, and Nunjucks, which
// Hexo runs on the page, sees nothing to run. Escaping the Markdown later
// (--escape-templates) cannot do this inside a link title or an image
// description without breaking its syntax.
func inertTemplates(v string) string {
	if !strings.Contains(v, "{") && !strings.Contains(v, "#}") {
		return v
	}
	return templateOpener.ReplaceAllStringFunc(v, func(m string) string {
		if m == "#}" {
			return "&#35;}"
		}
		return "&#123;" + m[1:]
	})
}

var titleChars = strings.NewReplacer("<", "&lt;", "`", "&#96;")

// literalAmpersands writes an "&" of a title or description that would read
// as a character reference ("AT&T &copy;" as text) as "&amp;".
func literalAmpersands(v string) string {
	if !strings.Contains(v, "&") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '&' && startsReference(v[i:]) {
			b.WriteString("&amp;")
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true,
	"data": true, "poster": true, "background": true, "lowsrc": true, "dynsrc": true,
}

// renderBreak writes a hard break as a backslash: the two-space form is
// invisible trailing white space that editors and linters strip.
func renderBreak(_ converter.Context, w converter.Writer, _ *html.Node) converter.RenderStatus {
	w.WriteString("\\\n")
	return converter.RenderSuccess
}

func isLink(n *html.Node) bool {
	return n != nil && n.Type == html.ElementNode && n.DataAtom == atom.A && rules.Attr(n, "href") != ""
}
