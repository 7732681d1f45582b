package learn

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/publicsuffix"

	"github.com/mdclean/mdclean/rules"
)

// A block is one unit a rule can remove: a leaf element (a block element
// with no block inside), a line of a block (a run of inline content between
// block edges and <br>, which a line: rule removes), or an image.
type block struct {
	kind   string // an element name, "line", "img" or "banner"
	text   string // its text, white space collapsed; an image's src; a banner's link host
	size   int    // visible characters it holds
	linked bool   // all its text is link text: a link, which is kept
	bold   bool   // all its text is bold or italic: a heading in all but name
}

// Templates: a family's fixed parts (its label, its closing tag) are at
// most maxLabelRunes each, and the part that varies (a name, a date, a
// title) at most maxVarying; so no block longer than maxFamilyRunes is in a
// family. Such a block, mostly article text, is learned only when it
// recurs whole (a disclaimer, a copyright notice), and the learner keeps a
// copy of it only once a second post holds it: memory grows with the short
// blocks and the recurring ones, not with the articles' text.
const (
	maxLabelRunes  = 20
	maxVarying     = 64
	maxFamilyRunes = maxVarying + 2*maxLabelRunes
)

// never holds the elements no learned rule removes, nor looks inside:
// headings, code and table data carry article content even when they
// recur (a recipe's "Ingredients", a price table's figures).
var never = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Pre: true, atom.Code: true, atom.Script: true, atom.Style: true, atom.Template: true,
	atom.Table: true,
}

// blocksOf lists the blocks of a body in document order, and the visible
// characters of the whole body.
func blocksOf(body *html.Node) (out []block, total int) {
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		var run []*html.Node
		flush := func() {
			if b, ok := lineOf(run); ok {
				out = append(out, b)
			}
			run = run[:0]
		}
		hasBlock, hasBr := false, false
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if rules.IsBlock(c) {
				hasBlock = true
			} else if c.Type == html.ElementNode && c.DataAtom == atom.Br {
				hasBr = true
			}
		}
		if !hasBlock && !hasBr && n.Type == html.ElementNode && rules.IsBlock(n) && n.DataAtom != atom.Body {
			// A leaf block: one element block, and its images.
			if t := collapse(rules.Text(n)); t != "" {
				nodes := []*html.Node{n}
				out = append(out, block{kind: n.Data, text: t, size: utf8.RuneCountInString(t),
					linked: all(nodes, atom.A), bold: all(nodes, emphasis...)})
			}
			images(n, &out)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && never[c.DataAtom]:
				flush()
			case rules.IsBlock(c):
				flush()
				visit(c)
			case c.Type == html.ElementNode && c.DataAtom == atom.Br:
				flush()
			default:
				run = append(run, c)
				images(c, &out)
			}
		}
		flush()
	}
	visit(body)
	total = utf8.RuneCountInString(collapse(rules.Text(body)))
	return out, total
}

// lineOf makes a line block of a run of inline nodes. A run with a <br>
// or a block inside one of its elements is no line to the rule engine
// (it runs on into the next), so it is none here either.
func lineOf(run []*html.Node) (block, bool) {
	var b strings.Builder
	for _, n := range run {
		if breaks(n) {
			return block{}, false
		}
		b.WriteString(rules.Text(n))
	}
	t := collapse(b.String())
	if t == "" {
		return block{}, false
	}
	return block{kind: "line", text: t, size: utf8.RuneCountInString(t),
		linked: all(run, atom.A), bold: all(run, emphasis...)}, true
}

var emphasis = []atom.Atom{atom.B, atom.Strong, atom.I, atom.Em}

// breaks reports an element with a <br> or a block inside.
func breaks(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Br || rules.IsBlock(c)) || breaks(c) {
			return true
		}
	}
	return false
}

// all reports nodes whose every visible character is inside one of the
// elements named.
func all(nodes []*html.Node, in ...atom.Atom) bool {
	free := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			free = free || strings.TrimFunc(n.Data, rules.IsBlank) != ""
		case n.Type == html.ElementNode && slices.Contains(in, n.DataAtom):
			return
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return !free
}

// images adds the images under n, each after the banner it is in.
func images(n *html.Node, out *[]block) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			for _, a := range n.Attr {
				if a.Key == "src" && a.Val != "" {
					*out = append(*out, block{kind: "img", text: a.Val})
				}
			}
		}
		if host, ok := bannerHost(n); ok {
			*out = append(*out, block{kind: "banner", text: host})
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
}

// collapse trims s and turns every run of white space (NBSP, U+3000 and
// format characters included) into one space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, isBlank), " ")
}

// isBlank is what blank, the learned patterns' white space, matches: what
// the learner reads as white space must be what its rules do, or a block
// would be told apart from one its rule matches.
func isBlank(r rune) bool {
	return r >= '\t' && r <= '\r' || r == ' ' || r == 0x85 || unicode.In(r, unicode.Z, unicode.Cf)
}

// redirects returns the redirects the links under body go through: for a
// link whose query carries an absolute http(s) URL (a click tracker or an
// affiliate wrapper), its scheme, host and path with "?" and the name of
// that parameter, "https://example.com/go?url". Each once, sorted.
func redirects(body *html.Node) []string {
	seen := map[string]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			for _, a := range n.Attr {
				if a.Key != "href" {
					continue
				}
				u, err := url.Parse(strings.TrimSpace(a.Val))
				if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
					continue
				}
				for name, vs := range u.Query() {
					for _, v := range vs {
						if d, err := url.Parse(v); err == nil && (d.Scheme == "http" || d.Scheme == "https") && d.Host != "" {
							seen[u.Scheme+"://"+u.Host+u.EscapedPath()+"?"+name] = true
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// bannerHost reports a banner: a link that holds images and no text, to a
// site other than the images' own, through a short link (bit.ly/3xYz) or
// with a campaign tag (utm_…, aff…): a sponsor's or an affiliate's. It
// returns the link's host. The article's own pictures link to their full
// size, the site's gallery or a product page, on the images' site or not
// (a CDN), but seldom through a shortener.
func bannerHost(n *html.Node) (string, bool) {
	if n.Type != html.ElementNode || n.DataAtom != atom.A {
		return "", false
	}
	u := httpURL(rules.Attr(n, "href"))
	if u == nil || !promoLink(u) || strings.TrimFunc(rules.Text(n), rules.IsBlank) != "" {
		return "", false
	}
	link := siteOf(u)
	banner := false
	var walk func(c *html.Node)
	walk = func(c *html.Node) {
		if c.Type == html.ElementNode && c.DataAtom == atom.Img {
			if img := httpURL(rules.Attr(c, "src")); img != nil {
				banner = siteOf(img).site != link.site
			}
		}
		for d := c.FirstChild; d != nil && !banner; d = d.NextSibling {
			walk(d)
		}
	}
	walk(n)
	return link.host, banner
}

// promoLink reports a link through a shortener (a single short path
// segment with no file name: bit.ly/3ocpBbM) or with a campaign tag.
func promoLink(u *url.URL) bool {
	if p := strings.Trim(u.Path, "/"); p != "" && len(p) <= 16 && !strings.ContainsAny(p, "/.") {
		return true
	}
	for k := range u.Query() {
		if k = strings.ToLower(k); strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "aff") {
			return true
		}
	}
	return false
}

// httpURL parses an http(s) URL with a host; nil for anything else.
func httpURL(raw string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil
	}
	return u
}

// site is a URL's host and the registered domain it belongs to.
type site struct{ host, site string }

func siteOf(u *url.URL) site {
	host := strings.ToLower(u.Hostname())
	domain, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		domain = host // an address or a bare suffix: the host is the site
	}
	return site{host: host, site: domain}
}

// Stamps are the short bracketed tags a source sets at the start or the
// end of a paragraph ("[Example 报道]", "【Example 讯】"): a paragraph is
// the article's, and the stamp in it the source's.
const (
	stampOpeners  = "[【（(〔"
	stampClosers  = "]】）)〕"
	maxStampRunes = 24
)

// stamps returns the stamps of a block's text: "^" or "$" (the edge) and
// the stamp with its brackets. The rest of the block must be text of its
// own, or the whole block is the stamp (and a block of its own).
func stamps(text string) (out [][2]string) {
	// Most paragraphs have no bracket at either edge: no need to read them.
	first, _ := utf8.DecodeRuneInString(text)
	last, _ := utf8.DecodeLastRuneInString(text)
	if !strings.ContainsRune(stampOpeners, first) && !strings.ContainsRune(stampClosers, last) {
		return nil
	}
	r := []rune(text)
	if len(r) < 2 {
		return nil
	}
	if i := strings.IndexRune(stampOpeners, r[0]); i >= 0 {
		closer := []rune(stampClosers)[utf8.RuneCountInString(stampOpeners[:i])]
		for j := 1; j < min(len(r), maxStampRunes); j++ {
			if r[j] == closer {
				if stampLike(r[1:j]) && letters(string(r[j+1:])) >= 8 {
					out = append(out, [2]string{"^", string(r[:j+1])})
				}
				break
			}
			if strings.ContainsRune(stampOpeners+stampClosers, r[j]) {
				break
			}
		}
	}
	if i := strings.IndexRune(stampClosers, r[len(r)-1]); i >= 0 {
		opener := []rune(stampOpeners)[utf8.RuneCountInString(stampClosers[:i])]
		for j := len(r) - 2; j >= max(0, len(r)-maxStampRunes); j-- {
			if r[j] == opener {
				if stampLike(r[j+1:len(r)-1]) && letters(string(r[:j])) >= 8 {
					out = append(out, [2]string{"$", string(r[j:])})
				}
				break
			}
			if strings.ContainsRune(stampOpeners+stampClosers, r[j]) {
				break
			}
		}
	}
	return out
}

// stampLike reports the inside of a stamp: a name, two letters or more,
// and no sentence (no sentence punctuation).
func stampLike(inside []rune) bool {
	return letters(string(inside)) >= 2 && !strings.ContainsAny(string(inside), "。，,;；!！?？")
}
