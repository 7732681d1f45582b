// Package clean is mdclean's pipeline: it turns a scraped post (front matter
// and an HTML body) into the same front matter and a clean Markdown body.
//
//	read post -> split front matter -> parse DOM -> apply rules -> convert -> normalise -> write
//
// Cleaner.Clean is the pure bytes-to-bytes core; the file and tree functions
// around it add reading, comparing and writing. Nothing here knows of flags,
// exit codes or rule syntax.
package clean

import (
	"bytes"
	"fmt"
	"path/filepath"

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
}

// Cleaner cleans posts. Build one with New and share it: it is safe for
// concurrent use.
type Cleaner struct {
	rules *rules.Set
	from  Format
	conv  *converter.Converter
}

// New returns a Cleaner for opts.
func New(opts Options) *Cleaner {
	return &Cleaner{rules: opts.Rules, from: opts.From, conv: newConverter()}
}

// Rules returns the rules the Cleaner applies.
func (c *Cleaner) Rules() *rules.Set { return c.rules }

// Result is what cleaning one post gave.
type Result struct {
	Output    []byte
	Converted bool       // the body was read as HTML and converted
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
	post, err := Split(src)
	if err != nil {
		return Result{}, err
	}
	res := Result{Output: src, Warning: post.FieldsErr}
	switch c.from {
	case Markdown:
		return res, nil
	case Auto:
		if !LooksLikeHTML(post.Body) {
			return res, nil
		}
	}
	doc, err := html.Parse(bytes.NewReader(post.Body))
	if err != nil {
		return Result{}, fmt.Errorf("parsing HTML body: %w", err)
	}
	res.Hits = c.rules.Apply(doc, rules.Env{Fields: post.Fields, Body: post.Body, Path: filepath.ToSlash(path), Trace: trace})
	md, err := c.conv.ConvertNode(bodyOf(doc))
	if err != nil {
		return Result{}, fmt.Errorf("converting to Markdown: %w", err)
	}
	res.Output = assemble(post, Normalize(md))
	res.Converted = true
	return res, nil
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
