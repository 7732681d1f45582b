package clean

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CommonMark only opens "**" before text that is not punctuation, or after
// white space or punctuation, and only closes it likewise (the flanking
// rules). A converter that puts the delimiters at the element's edges loses
// the emphasis in "**按：**作为" or "文字**“引号”**", where Chinese
// punctuation meets a letter: the Markdown shows the asterisks. So emphasis
// is rendered in two steps. The renderer marks where each emphasis begins
// and ends; once the whole Markdown is known, placeDelimiters decides,
// from the characters really on either side, where the delimiters go:
// punctuation at the edges moves outside when that makes the emphasis
// render, and an emphasis that cannot render is dropped, leaving its text.

// Markers are private-use runes no handler looks at. Strikethrough
// (GFM's "~~") follows the same flanking rules, and goes the same way.
// Emphasis inside emphasis of its kind is written with "_" ("*a _b_ c*"),
// since "*" next to "*" would read as one run; it has markers of its own.
// Each close marker is its open marker plus one.
const (
	strongOpen       = '\uE010'
	strongClose      = '\uE011'
	emOpen           = '\uE012'
	emClose          = '\uE013'
	delOpen          = '\uE015'
	delClose         = '\uE016'
	emInnerOpen      = '\uE017'
	emInnerClose     = '\uE018'
	strongInnerOpen  = '\uE019'
	strongInnerClose = '\uE01A'
)

// delimiter is how a kind of span is written: size of char on each side.
type delimiter struct {
	char rune
	size int
}

var (
	strongDelim      = delimiter{'*', 2}
	emDelim          = delimiter{'*', 1}
	delDelim         = delimiter{'~', 2}
	strongInnerDelim = delimiter{'_', 2}
	emInnerDelim     = delimiter{'_', 1}
)

// delimiterOf returns the delimiter a close marker stands for.
func delimiterOf(close rune) delimiter {
	switch close {
	case strongClose:
		return strongDelim
	case emClose:
		return emDelim
	case strongInnerClose:
		return strongInnerDelim
	case emInnerClose:
		return emInnerDelim
	}
	return delDelim
}

// separator keeps two touching emphasis elements apart through the
// converter, which would merge them into one; it leaves no trace.
const separator = '\uE014'

func isMarker(r rune) bool {
	return r >= strongOpen && r <= strongInnerClose && r != separator
}

func isOpenMarker(r rune) bool {
	return r == strongOpen || r == emOpen || r == delOpen || r == emInnerOpen || r == strongInnerOpen
}

func isCloseMarker(r rune) bool { return isMarker(r) && !isOpenMarker(r) }

// Emphasis inside emphasis of its kind is renamed before the CommonMark
// plugin sees it, which would unwrap it as redundant.
const (
	innerEm     = "mdclean-em"
	innerStrong = "mdclean-strong"
)

// prepareRender readies a document for mdclean's renderers in one walk.
// For the emphasis markers, it takes the runes
// the markers are made of out of the text and attributes (a post that holds
// them would otherwise make or break emphasis; placeDelimiters drops them
// anyway), so that the markers it meets are exactly those the renderer
// wrote, well nested; and it puts a separator between emphasis elements
// that touch, so that each is rendered, and counted, as written, and a
// space between links that touch, so that each reads as a word of its own.
// On the same walk it marks the ordered lists that follow another
// (markOrderedRuns) and sets code apart from what would take in its
// backticks (setCodeApart).
func prepareRender(ctx converter.Context, doc *html.Node) {
	var visit func(n *html.Node, em, strong int)
	visit = func(n *html.Node, em, strong int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				c.Data = dropMarkerRunes(c.Data)
			case html.ElementNode:
				for i := range c.Attr {
					c.Attr[i].Val = dropMarkerRunes(c.Attr[i].Val)
				}
			}
			markOrderedRuns(c)
			setCodeApart(ctx, c)
			switch {
			case isEm(c):
				if em > 0 {
					c.Data, c.DataAtom = innerEm, 0
				}
				visit(c, em+1, strong)
			case isStrong(c):
				if strong > 0 {
					c.Data, c.DataAtom = innerStrong, 0
				}
				visit(c, em, strong+1)
			default:
				visit(c, em, strong)
			}
			switch {
			case isSpan(c) && c.NextSibling != nil && isSpan(c.NextSibling):
				n.InsertBefore(&html.Node{Type: html.TextNode, Data: string(separator)}, c.NextSibling)
				c = c.NextSibling // past the separator
			case isLink(c) && isLink(c.NextSibling):
				// A site sets its tag lists and link rows apart with
				// style; without a space "[手表](…)[穿戴](…)" reads as
				// the one word 手表穿戴.
				n.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, c.NextSibling)
				c = c.NextSibling
			}
		}
	}
	visit(doc, 0, 0)
}

// markerPrefix is the first two bytes of every marker and of the separator
// in UTF-8: a text without them holds none, and a byte search says so fast.
var markerPrefix = []byte(string(separator))[:2]

func dropMarkerRunes(s string) string {
	if !strings.Contains(s, string(markerPrefix)) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isMarker(r) || r == separator {
			return -1
		}
		return r
	}, s)
}

// renderEmphasis marks an emphasis element's content, one span per run of
// lines joined by hard breaks.
// Emphasis inside emphasis of its kind is marked to be written with "_" at
// odd depths; strikethrough inside strikethrough adds nothing and is not
// marked, nor is emphasis that is a heading's whole content (a heading is
// bold already).
func renderEmphasis(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var buf strings.Builder
	ctx.RenderChildNodes(ctx, &buf, n)
	content := buf.String()
	depth := sameAbove(n)
	if isDel(n) && depth > 0 || !isDel(n) && wholeHeading(n) {
		w.WriteString(content)
		return converter.RenderSuccess
	}
	inner := depth%2 == 1
	open, close := emOpen, emClose
	switch {
	case isStrong(n) && inner:
		open, close = strongInnerOpen, strongInnerClose
	case isStrong(n):
		open, close = strongOpen, strongClose
	case isDel(n):
		open, close = delOpen, delClose
	case inner:
		open, close = emInnerOpen, emInnerClose
	}
	lines := strings.Split(content, "\n")
	for i := 0; i < len(lines); {
		// Lines joined by hard breaks to more text are one span.
		j := i + 1
		for j < len(lines) && isBreak(lines[j-1]) && strings.TrimSpace(lines[j]) != "" {
			j++
		}
		if i > 0 {
			w.WriteString("\n")
		}
		markSpan(w, strings.Join(lines[i:j], "\n"), open, close)
		i = j
	}
	return converter.RenderSuccess
}

// markSpan writes a span's text between its markers; white space at its
// edges and a hard break that ends it stay outside.
func markSpan(w converter.Writer, text string, open, close rune) {
	body, tail := text, ""
	if isBreak(body) {
		body, tail = body[:len(body)-1], "\\"
	}
	core := strings.TrimFunc(body, unicode.IsSpace)
	if core == "" {
		w.WriteString(text)
		return
	}
	start := strings.Index(body, core)
	w.WriteString(body[:start])
	w.WriteRune(open)
	w.WriteString(core)
	w.WriteRune(close)
	w.WriteString(body[start+len(core):])
	w.WriteString(tail)
}

// isBreak reports a rendered line that ends with a hard break (renderBreak's
// backslash), not with a backslash of the text, which carries the escape
// marker until the end.
func isBreak(line string) bool {
	return strings.HasSuffix(line, "\\") && !strings.HasSuffix(line, "\\\\") &&
		!strings.HasSuffix(line, string(marker.MarkerEscaping)+"\\")
}

func isStrong(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.B || n.DataAtom == atom.Strong || n.Data == innerStrong)
}

func isEm(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Em || n.DataAtom == atom.I || n.Data == innerEm)
}

func isDel(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Del || n.DataAtom == atom.S || n.DataAtom == atom.Strike)
}

func isSpan(n *html.Node) bool { return isStrong(n) || isEm(n) || isDel(n) }

// sameAbove counts the spans of n's own kind that n is inside.
func sameAbove(n *html.Node) int {
	same := isEm
	switch {
	case isStrong(n):
		same = isStrong
	case isDel(n):
		same = isDel
	}
	count := 0
	for a := n.Parent; a != nil; a = a.Parent {
		if same(a) {
			count++
		}
	}
	return count
}

// wholeHeading reports emphasis that holds all the text of its heading.
// On the way up, any sibling with text ends the search: looking no further
// than that keeps a heading of many emphases linear.
func wholeHeading(n *html.Node) bool {
	for c := n; c.Parent != nil; c = c.Parent {
		for _, sib := range [2]func(*html.Node) *html.Node{
			func(x *html.Node) *html.Node { return x.PrevSibling },
			func(x *html.Node) *html.Node { return x.NextSibling },
		} {
			for s := sib(c); s != nil; s = sib(s) {
				if showsText(s) {
					return false
				}
			}
		}
		switch c.Parent.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			return true
		}
	}
	return false
}

// showsText reports text other than white space in or under n; it stops at
// the first.
func showsText(n *html.Node) bool {
	if n.Type == html.TextNode {
		return strings.TrimFunc(n.Data, unicode.IsSpace) != ""
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if showsText(c) {
			return true
		}
	}
	return false
}

// placeDelimiters turns the emphasis markers in md into delimiters, run of
// lines by run of lines, innermost emphasis first.
func placeDelimiters(_ converter.Context, md []byte) []byte {
	// Markers and the separator all begin with these two bytes in UTF-8;
	// most posts have neither, and a byte search finds that fastest.
	if !bytes.Contains(md, markerPrefix) {
		return md
	}
	if !bytes.ContainsFunc(md, isMarker) {
		return bytes.ReplaceAll(md, []byte(string(separator)), nil)
	}
	// An emphasis may span a hard break, not a soft line end, which in a
	// list or quote may be a block's end: each run of lines joined by hard
	// breaks is resolved as one.
	lines := strings.Split(string(md), "\n")
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && endsHardBreak(lines[j-1]) {
			j++
		}
		if unit := strings.Join(lines[i:j], "\n"); strings.ContainsFunc(unit, isMarker) {
			copy(lines[i:j], strings.Split(resolveLine(unit), "\n"))
		}
		i = j
	}
	return []byte(strings.ReplaceAll(strings.Join(lines, "\n"), string(separator), ""))
}

// endsHardBreak reports a Markdown line that ends with a hard break: a
// backslash that is not itself escaped (an even count is escaped
// backslashes, which are text).
func endsHardBreak(line string) bool {
	n := len(line) - len(strings.TrimRight(line, "\\"))
	return n%2 == 1
}

// resolveLine places the delimiters of every marked span of a line, in one
// pass: a span is resolved when its closing marker is met, innermost first,
// with the line before it already resolved and the rest still marked.
func resolveLine(line string) string {
	rs := []rune(line)
	out := make([]rune, 0, len(rs)+8)
	var opens []int // positions in out of the open markers not yet closed
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isOpenMarker(r):
			opens = append(opens, len(out))
		case isCloseMarker(r):
			// A close pairs with the nearest open before it; one of the
			// other kind stays inside, unbalanced, and is dropped below.
			if k := len(opens) - 1; k >= 0 && out[opens[k]]+1 == r {
				open := opens[k]
				opens = opens[:k]
				content := append([]rune(nil), out[open+1:]...)
				p := placeSpan(out[:open], content, rs[i+1:], delimiterOf(r))
				out = out[:open]
				if p.spaceBefore {
					out = append(out, ' ')
				}
				out = append(out, p.text...)
				if p.spaceAfter {
					out = append(out, ' ')
				}
				i += p.takenIn
				continue
			}
		}
		out = append(out, r)
	}
	// Whatever markers are left never paired: drop them.
	return strings.Map(func(r rune) rune {
		if isMarker(r) {
			return -1
		}
		return r
	}, string(out))
}

// placement is how a span is written in its line: a space may go before it
// and after it, and it may take in the first runes of what follows.
type placement struct {
	spaceBefore, spaceAfter bool
	text                    []rune // the span's text, with its delimiters if it renders
	takenIn                 int    // runes of what follows that text took in
}

// placeSpan places the delimiters of a span (a pair with no markers between)
// whose content follows before and is followed by after: edge punctuation
// moves outside where needed; an emphasis of punctuation alone takes in the
// letters that follow it up to the next space or punctuation. An emphasis
// that still cannot render is dropped, its text kept.
func placeSpan(before, content, after []rune, d delimiter) placement {
	prev := lastVisible(before)
	next := firstVisible(after)
	var p placement

	// "_" (emphasis inside emphasis of its kind) never renders inside a
	// word. The outer delimiters next to it are not placed yet and may
	// not be, so the text beyond them decides.
	if d.char == '_' && !(wordEdge(lastText(before)) && wordEdge(firstText(after))) {
		p.text = content
		return p
	}

	// A delimiter that touches a run of "*" as long as itself (another
	// emphasis's) would merge with it: "**a****b**" is one strong with
	// asterisks inside. A space keeps the two apart; underscores would too,
	// but a post should keep one delimiter style. Runs of different length
	// are parsed apart ("**a***b*" is strong then emphasis).
	if starRun(before, true, d.char) == d.size {
		p.spaceBefore, prev = true, ' '
	}
	if text, taken, ok := tryDelimiter(content, after, prev, next, d); ok {
		p.text, p.takenIn = text, taken
		return p
	}
	// Punctuation alone between letters ("鸣禽**，**对"), or a link at the
	// edge that cannot move ("**：[x](u)**作为"): a space on a side that
	// cannot flank lets it render, and changes no word.
	if len(content) > 0 && (isAllPunct(content) || opensLink(content) || closesLink(content) ||
		content[0] == '`' || content[len(content)-1] == '`') {
		if !canOpen(prev, content[0]) {
			p.spaceBefore, prev = true, ' '
		}
		if !canClose(content[len(content)-1], next) {
			p.spaceAfter, next, after = true, ' ', nil // nothing to take in past the space
		}
		if text, taken, ok := tryDelimiter(content, after, prev, next, d); ok {
			p.text, p.takenIn = text, taken
			return p
		}
	}
	// It would not render: keep the text alone.
	p.text = content
	return p
}

func isAllPunct(rs []rune) bool {
	for _, r := range rs {
		if !isPunct(r) {
			return false
		}
	}
	return len(rs) > 0
}

// tryDelimiter places the delimiter on each side of content, and reports
// false when the emphasis would not render. It returns the span's text and
// how many runes of after it took in.
func tryDelimiter(content, after []rune, prev, next rune, d delimiter) ([]rune, int, bool) {
	lead, trail := edges(content, prev, next)
	taken := 0
	if lead == trail {
		// Punctuation alone: take in the word that follows, if it is short.
		for taken < len(after) && !isSpace(after[taken]) && !isPunct(after[taken]) && !isMarker(after[taken]) && after[taken] != separator {
			taken++
		}
		if taken == 0 || taken > maxTakenIn {
			return nil, 0, false
		}
		content = append(append([]rune(nil), content...), after[:taken]...)
		next = firstVisible(after[taken:])
		lead, trail = edges(content, prev, next)
	}
	inner := content[lead:trail]
	if len(inner) == 0 || !flanks(prevOf(content, lead, prev), inner, nextOf(content, trail, next), d.char) {
		return nil, 0, false
	}
	delim := []rune(strings.Repeat(string(d.char), d.size))
	var out []rune
	out = append(out, content[:lead]...)
	out = append(out, delim...)
	out = append(out, inner...)
	out = append(out, delim...)
	out = append(out, content[trail:]...)
	return out, taken, true
}

// starRun is the length of the run of char (not markers) nearest before
// (last) or after (!last) a position. A char behind a backslash is text,
// not part of the run.
func starRun(rs []rune, last bool, char rune) int {
	n, i := 0, 0
	for ; i < len(rs); i++ {
		r := rs[i]
		if last {
			r = rs[len(rs)-1-i]
		}
		if r == separator {
			continue
		}
		if r != char {
			break
		}
		n++
	}
	if last && n > 0 {
		slashes := 0
		for j := len(rs) - 1 - i; j >= 0 && rs[j] == '\\'; j-- {
			slashes++
		}
		if slashes%2 == 1 {
			n--
		}
	}
	return n
}

// edges returns the part of content the delimiters can go around: leading
// and trailing punctuation move out while the delimiter could not flank.
// Link and image syntax at an edge never moves: a delimiter inside "[x](u
// "t")" would break the link and let its title out as raw text.
// Nor is a backslash escape ("\[") or a character reference ("&lt;") ever
// split: a delimiter between "\" and "[" would be escaped itself and leave
// the "[" live. Nor does a backtick move: it would leave its code span, and
// the code's text, "<" included, would read as Markdown.
func edges(content []rune, prev, next rune) (int, int) {
	lead := 0
	for lead < len(content) && !canOpen(prevOf(content, lead, prev), content[lead]) && isPunct(content[lead]) &&
		content[lead] != '`' && !opensLink(content[lead:]) && !startsEntity(content[lead:]) {
		if content[lead] == '\\' && lead+1 < len(content) {
			lead++ // the escape and what it escapes move together
		}
		lead++
	}
	trail := len(content)
	for trail > lead && !canClose(content[trail-1], nextOf(content, trail, next)) && isPunct(content[trail-1]) &&
		content[trail-1] != '`' && !closesLink(content[:trail]) && !endsEntity(content[lead:trail]) {
		if escaped(content, trail-1) {
			if trail-2 < lead {
				break
			}
			trail--
		}
		trail--
	}
	return lead, trail
}

// escaped reports whether rs[i] follows a backslash that is not itself
// escaped.
func escaped(rs []rune, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && rs[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// startsEntity and endsEntity report a character reference ("&lt;",
// "&#60;") at the start or end of rs.
func startsEntity(rs []rune) bool {
	if len(rs) < 3 || rs[0] != '&' {
		return false
	}
	for i := 1; i < len(rs) && i < 34; i++ {
		switch r := rs[i]; {
		case r == ';':
			return i > 1
		case !(r == '#' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			return false
		}
	}
	return false
}

func endsEntity(rs []rune) bool {
	if len(rs) < 3 || rs[len(rs)-1] != ';' {
		return false
	}
	for i := len(rs) - 2; i >= 0 && i > len(rs)-34; i-- {
		switch r := rs[i]; {
		case r == '&':
			return i < len(rs)-2
		case !(r == '#' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			return false
		}
	}
	return false
}

// opensLink reports content that starts a link or image: "[" or "![".
func opensLink(rs []rune) bool {
	return len(rs) > 0 && (rs[0] == '[' || rs[0] == '!' && len(rs) > 1 && rs[1] == '[')
}

// closesLink reports content that ends with the ")" closing a link or image:
// before it, maybe a quoted title, then a destination (written without
// spaces, its parentheses escaped) opened by "](".
func closesLink(rs []rune) bool {
	i := len(rs) - 2
	if i < 1 || rs[i+1] != ')' {
		return false // also for content too short to be a link
	}
	if rs[i] == '"' { // a title: back to its opening quote
		for i--; i >= 0 && (rs[i] != '"' || i > 0 && rs[i-1] == '\\'); i-- {
		}
		for i--; i >= 0 && rs[i] == ' '; i-- {
		}
	}
	for ; i > 0; i-- {
		switch {
		case rs[i] == '(' && rs[i-1] == ']':
			return true
		case (rs[i] == '(' || rs[i] == ')') && rs[i-1] == '\\':
			i--
		case rs[i] == ')' || rs[i] == ' ':
			return false
		}
	}
	return false
}

// flanks reports whether delimiters of c around inner open and close
// between prev and next. "_" also needs white space or punctuation
// outside: it never opens or closes inside a word.
func flanks(prev rune, inner []rune, next rune, c rune) bool {
	if c == '_' && !(isSpace(prev) || isPunct(prev)) || c == '_' && !(isSpace(next) || isPunct(next)) {
		return false
	}
	return canOpen(prev, inner[0]) && canClose(inner[len(inner)-1], next)
}

// maxTakenIn is the longest word an emphasis of punctuation alone takes in
// to render ("#" before a tag name); a longer one would emphasise what the
// article did not.
const maxTakenIn = 8

// prevOf is the character before content[i] once content[:i] is outside.
func prevOf(content []rune, i int, prev rune) rune {
	if i > 0 {
		return content[i-1]
	}
	return prev
}

func nextOf(content []rune, i int, next rune) rune {
	if i < len(content) {
		return content[i]
	}
	return next
}

// lastVisible is the character before a position, markers read as the
// delimiters they become ('*'); ' ' stands for the start of the line.
func lastVisible(rs []rune) rune {
	for i := len(rs) - 1; i >= 0; i-- {
		switch {
		case rs[i] == separator:
			continue
		case isMarker(rs[i]):
			return '*'
		}
		return rs[i]
	}
	return ' '
}

// lastText and firstText are the text characters nearest a position,
// markers and separators skipped; ' ' stands for the line's edge.
func lastText(rs []rune) rune {
	for i := len(rs) - 1; i >= 0; i-- {
		if !isMarker(rs[i]) && rs[i] != separator {
			return rs[i]
		}
	}
	return ' '
}

func firstText(rs []rune) rune {
	for _, r := range rs {
		if !isMarker(r) && r != separator {
			return r
		}
	}
	return ' '
}

func wordEdge(r rune) bool { return isSpace(r) || isPunct(r) }

func firstVisible(rs []rune) rune {
	for _, r := range rs {
		switch {
		case r == separator:
			continue
		case isMarker(r):
			return '*'
		}
		return r
	}
	return ' '
}

// canOpen: the delimiter between prev and first is left-flanking.
func canOpen(prev, first rune) bool {
	if isSpace(first) {
		return false
	}
	return !isPunct(first) || isSpace(prev) || isPunct(prev)
}

// canClose: the delimiter between last and next is right-flanking.
func canClose(last, next rune) bool {
	if isSpace(last) {
		return false
	}
	return !isPunct(last) || isSpace(next) || isPunct(next)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == utf8.RuneError }

// isPunct is CommonMark's punctuation: ASCII punctuation and the Unicode
// punctuation and symbol categories.
func isPunct(r rune) bool {
	if r < 128 {
		return r > ' ' && r < 127 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}
