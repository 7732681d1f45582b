// Package clean is mdclean's pipeline: it turns a scraped post (front matter
// and an HTML body) into the same front matter and a clean Markdown body.
//
//	read post -> split front matter -> parse DOM -> apply rules -> convert -> normalise -> write
//
// Cleaner.Clean is the whole of it: bytes of a post in, bytes of the clean
// post and a report out. It opens no file (package batch does that), and
// knows nothing of flags, exit codes or rule syntax.
package clean

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/mdclean/mdclean/rules"
)

// Options configure a Cleaner.
type Options struct {
	// Rules are applied to every HTML body, in order. Nil means none.
	Rules *rules.Set
	// From says how to read bodies; Auto guesses per post.
	From Format
	// EscapeTemplates writes template syntax in converted text, which Hexo
	// would run, as Nunjucks expressions that print it.
	EscapeTemplates bool
}

// Cleaner cleans posts. Build one with New and share it: it is safe for
// concurrent use.
type Cleaner struct {
	rules           *rules.Set
	from            Format
	escapeTemplates bool
	conv            *converter.Converter
}

// New returns a Cleaner for opts.
func New(opts Options) *Cleaner {
	return &Cleaner{rules: opts.Rules, from: opts.From, escapeTemplates: opts.EscapeTemplates, conv: newConverter()}
}

// Rules returns the rules the Cleaner applies.
func (c *Cleaner) Rules() *rules.Set { return c.rules }

// Result is what cleaning one post gave.
type Result struct {
	Output    []byte
	Converted bool       // the body was read as HTML and converted
	Templates bool       // the output body holds template syntax Hexo would run
	Hits      rules.Hits // per rule of Cleaner.Rules; nil when nothing was converted
	Warning   error      // a problem that did not stop cleaning (front matter that did not parse)
}

// Changed reports whether the output differs from src.
func (r Result) Changed(src []byte) bool { return !bytes.Equal(r.Output, src) }

// Clean cleans one post. path names it for rule conditions ("" for none).
// The error is only for posts that cannot be split or parsed safely.
func (c *Cleaner) Clean(path string, src []byte) (Result, error) {
	return c.Trace(path, src, nil)
}

// Trace is Clean with a function that sees every rule action before it
// happens.
func (c *Cleaner) Trace(path string, src []byte, trace func(*rules.Rule, *html.Node)) (Result, error) {
	// UTF-16 is every other byte NUL in Latin text: it is decoded (by its
	// byte-order mark) before the test that tells a binary file by its NULs.
	src, from16, err := fromUTF16(src)
	if err != nil {
		return Result{}, err
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return Result{}, &NotPostError{Offset: i}
	}
	text, from, err := toUTF8(src)
	if err != nil {
		return Result{}, err
	}
	if from16 != "" {
		from = from16
	}
	// A file with only CR line ends is split and cleaned with LF ends and
	// written back with CR ends, so its head keeps every byte.
	crOnly := bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0
	if crOnly {
		text = bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
	}
	res, err := c.clean(path, text, trace, crOnly)
	if err != nil {
		return Result{}, err
	}
	if crOnly {
		res.Output = bytes.ReplaceAll(res.Output, []byte("\n"), []byte("\r"))
	}
	if from != "" {
		res.Warning = joinWarnings(fmt.Errorf("decoded from %s; written as UTF-8", from), res.Warning)
	}
	return res, nil
}

// clean cleans a post with LF line ends; crOnly says it is written back
// with CR ends.
func (c *Cleaner) clean(path string, src []byte, trace func(*rules.Rule, *html.Node), crOnly bool) (Result, error) {
	t, err := c.tree(path, src, trace)
	if err != nil || t.doc == nil {
		return t.res, err
	}
	res, post, doc := t.res, t.post, t.doc
	md, err := c.conv.ConvertNode(bodyOf(doc))
	if err != nil {
		return Result{}, fmt.Errorf("converting to Markdown: %w", err)
	}
	md = Normalize(md)
	// The converter is built never to write raw HTML or an unsafe link;
	// this checks it did not, as a Markdown reader will read the result.
	// Should a case slip through, the post fails closed rather than be
	// written live.
	if !checkOutput(md) {
		return Result{}, errUnsafeOutput
	}
	// Written with CRLF or CR line ends, the body is checked as written
	// too: goldmark (Hugo's reader) reads some lists differently with
	// CRLF, and does not end a line at a lone CR at all.
	written := post.Newline
	if crOnly {
		written = "\r"
	}
	if written != "\n" && !checkAsWritten(bytes.ReplaceAll(md, []byte("\n"), []byte(written))) {
		return Result{}, errUnsafeOutput
	}
	res.Templates = HasTemplateSyntax(md)
	if c.escapeTemplates && res.Templates {
		md = EscapeTemplates(md) // after which none is left, by construction
		res.Templates = false
	}
	res.Output = assemble(post, md)
	res.Converted = true
	return res, nil
}

// cleaned is a post taken as far as its rules: the document they left, or
// a result already final (a Markdown body kept as written).
type cleaned struct {
	res  Result
	post Post
	doc  *html.Node // nil when res is final
}

func (c *Cleaner) tree(path string, src []byte, trace func(*rules.Rule, *html.Node)) (cleaned, error) {
	post, err := Split(src)
	if err != nil {
		return cleaned{}, err
	}
	res := Result{Output: src}
	body := post.Body
	if c.from == Markdown || c.from == Auto && !LooksLikeHTML(body) {
		// Every body goes through the same safety policy. A Markdown body
		// without raw HTML or executable destinations is kept byte for
		// byte; one whose HTML elements carry the content is HTML after
		// all; any other is rendered to HTML and cleaned as such, so that
		// the raw HTML and links in it meet the converter's safety plugin.
		md, found := readMarkdown(body)
		switch {
		case found.clean():
			res.Templates = HasTemplateSyntax(body)
			if c.escapeTemplates && res.Templates {
				// Kept Markdown is escaped too: template text runs
				// whatever the body's shape.
				escaped := EscapeTemplates(body)
				res.Output = append(append(make([]byte, 0, len(post.Head)+len(escaped)), post.Head...), escaped...)
				res.Templates = false
			}
			return cleaned{res: res, post: post}, nil
		case c.from == Markdown || !found.htmlCarries():
			if body, err = renderMarkdown(md, body); err != nil {
				return cleaned{}, fmt.Errorf("rendering Markdown: %w", err)
			}
		}
	}
	// The parser refuses elements nested more than 512 deep, in one line
	// and at once: no article nests so, and deeper trees cost quadratic time.
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return cleaned{}, fmt.Errorf("parsing HTML body: %w; not cleaned", err)
	}
	// The front matter is parsed only if a rule's condition may need it; a
	// failure to parse is worth a warning only then, as it changes what
	// the rules do.
	var (
		parsed    bool
		fieldsMap map[string]any
		fieldsErr error
	)
	fields := func() map[string]any {
		if !parsed {
			parsed = true
			fieldsMap, fieldsErr = post.Fields()
		}
		return fieldsMap
	}
	res.Hits = c.rules.Apply(doc, rules.Env{FrontMatter: post.Matter, Fields: fields, Body: post.Body, Path: ConditionPath(path), Trace: trace})
	res.Warning = fieldsErr
	return cleaned{res: res, post: post, doc: doc}, nil
}

// ConditionPath is the path that path: conditions see: with forward slashes,
// and cleaned ("./a//b.md" is "a/b.md"), so that one post named two ways
// meets the same rules.
func ConditionPath(path string) string {
	if path == "" {
		return ""
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// Tree returns the body of a post as its rules leave it, before conversion,
// for tools that study what cleaning keeps; nil for a Markdown body kept as
// written. The tree is the caller's.
func (c *Cleaner) Tree(path string, src []byte) (*html.Node, Post, error) {
	t, err := c.tree(path, src, nil)
	if err != nil || t.doc == nil {
		return nil, t.post, err
	}
	return bodyOf(t.doc), t.post, nil
}

var errUnsafeOutput = errors.New("the Markdown written would hold raw HTML or an unsafe link (a bug; please report it); not cleaned")

// joinWarnings joins warnings into one line.
func joinWarnings(ws ...error) error {
	var msgs []string
	for _, w := range ws {
		if w != nil {
			msgs = append(msgs, w.Error())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// bodyOf returns the <body> element, so that <head> never reaches the
// converter.
func bodyOf(doc *html.Node) *html.Node {
	for n := doc.FirstChild; n != nil; n = n.NextSibling {
		if n.Type == html.ElementNode && n.DataAtom == atom.Html {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.DataAtom == atom.Body {
					return c
				}
			}
		}
	}
	return doc
}

// assemble writes the head untouched, a blank line, then the Markdown body
// in the post's line ending.
func assemble(post Post, md []byte) []byte {
	out := make([]byte, 0, len(post.Head)+len(md)+8)
	out = append(out, post.Head...)
	if len(md) == 0 {
		return out
	}
	nl := []byte(post.Newline)
	if post.Format == "" {
		// With no front matter, a body whose first line reads as a front
		// matter delimiter ("---", "+++", ";;;", or "{" before a ";;;"
		// line) would be taken for one, by Hexo and by the next run. A
		// backslash before that punctuation is a plain escape in Markdown.
		if p, err := Split(md); err != nil || p.Format != "" {
			md = append([]byte{'\\'}, md...)
		}
	}
	if post.Format != "" {
		if len(post.Head) > 0 && post.Head[len(post.Head)-1] != '\n' {
			out = append(out, nl...) // closing delimiter was the last line, without a newline
		}
		out = append(out, nl...)
	}
	if post.Newline == "\r\n" {
		md = bytes.ReplaceAll(md, []byte("\n"), nl)
	}
	return append(out, md...)
}
