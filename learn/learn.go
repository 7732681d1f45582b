// Package learn finds the furniture a source repeats in its posts (a
// footer, a sign-off, a promo bar, a QR block) and writes rules that remove
// it, for a person to review before use.
//
// Posts come in groups (one source each); within a group, a block of the
// cleaned body (a leaf element, a line between <br>s, an image) whose text
// recurs in enough of the group's posts becomes a rule, and so does a
// family of blocks that share their start or their end and vary in
// between (a name, a date, a title). A block at the article's edges needs
// less support than one in the middle. Every rule is scoped to its group by
// a when: condition, must match no block of another group, and is checked
// by running it on the group's posts: one that would take more than a
// small share of any post's text is dropped.
//
// The package reads no file: the caller feeds it posts (twice: once to
// learn, once to check) and takes the rule file it writes.
package learn

import (
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/rules"
)

// Options are the learner's knobs.
type Options struct {
	// By names the front matter field posts are grouped by; "" groups them
	// by directory.
	By string
	// MinShare is the share of a group's posts a block must recur in.
	MinShare float64
	// MinPosts is the least number of posts it must recur in.
	MinPosts int
	// MaxRemove is the largest share of any post's text a rule may take.
	MaxRemove float64
}

// Defaults for Options.
const (
	DefaultMinShare  = 0.3
	DefaultMinPosts  = 3
	DefaultMaxRemove = 0.2
)

// Post is one post to learn from or check on.
type Post struct {
	Name   string     // for the evidence in descriptions
	Groups []string   // the groups it is in
	Body   *html.Node // as the rules in effect leave it
	Env    rules.Env  // what the learned rules' conditions read
}

// Learner gathers posts, proposes rules and checks them. Add and Check are
// safe for concurrent use.
type Learner struct {
	opts   Options
	mu     sync.Mutex
	groups map[string]*group
	ids    map[string]int32 // every post, by name

	index    map[string][]entry // every group's blocks, by lead
	proposed []*proposal
	sets     map[string]*rules.Set // each group's proposals, by group name
	byName   map[string]*proposal  // the proposals in sets
	budgeted bool
}

type group struct {
	name    string
	slug    string // its name in rule names
	posts   int
	stats   map[string]*stat // by kind class and masked text
	members map[int32]bool   // its posts
}

// stat is what the learner knows of one distinct block in a group.
type stat struct {
	class   string   // "el" (any leaf element), "line" or "img"
	masked  string   // text with digit runs masked; an image's src; "" while its text is not kept
	hash    string   // a text block's hash: what it is known by
	tags    []string // the elements it was, each once (mostly one)
	posts   []int32  // the posts it is in, each once, in arrival order
	start   int      // occurrences among the article's first blocks
	end     int      // occurrences among its last blocks
	all     int      // occurrences
	example [2]string
	from    [2]string
}

// New returns a Learner.
func New(opts Options) *Learner {
	if opts.MinShare <= 0 {
		opts.MinShare = DefaultMinShare
	}
	if opts.MinPosts <= 0 {
		opts.MinPosts = DefaultMinPosts
	}
	if opts.MaxRemove <= 0 {
		opts.MaxRemove = DefaultMaxRemove
	}
	return &Learner{opts: opts, groups: map[string]*group{}, ids: map[string]int32{}}
}

// edges returns how many of a post's n blocks count as its start and as
// its end: up to 3 and 6, and less in a short post, whose middle would
// otherwise be all edge.
func edges(n int) (first, last int) {
	return max(1, min(3, n/4)), max(2, min(6, n/3))
}

var digits = regexp.MustCompile(`[0-9]+`)

// mask stands for a run of digits in masked text.
const mask = "\x01"

// Add learns from one post.
func (l *Learner) Add(p Post) {
	if p.Body == nil || len(p.Groups) == 0 {
		return
	}
	blocks, _ := blocksOf(p.Body)
	for _, r := range redirects(p.Body) {
		blocks = append(blocks, block{kind: "url", text: r})
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, seen := l.ids[p.Name]; seen {
		return
	}
	id := int32(len(l.ids))
	l.ids[p.Name] = id
	for _, name := range p.Groups {
		g := l.groups[name]
		if g == nil {
			g = &group{name: name, stats: map[string]*stat{}, members: map[int32]bool{}}
			l.groups[name] = g
		}
		if g.members[id] {
			continue // a list field naming the group twice
		}
		g.members[id] = true
		g.posts++
		first, last := edges(len(blocks))
		note := func(i int, key, class, masked, kind, example string) *stat {
			s := g.stats[key]
			if s == nil {
				s = &stat{class: class, masked: masked}
				g.stats[key] = s
			}
			if kind != "" && !slices.Contains(s.tags, kind) {
				s.tags = append(s.tags, kind)
			}
			s.all++
			if i >= len(blocks)-last {
				s.end++
			} else if i < first {
				s.start++
			}
			if n := len(s.posts); n == 0 || s.posts[n-1] != id {
				s.posts = append(s.posts, id)
				s.keepExample(example, p.Name)
			}
			return s
		}
		for i, b := range blocks {
			if !utf8.ValidString(b.text) {
				continue // text the parser could not read
			}
			switch b.kind {
			case "img", "banner":
				note(i, b.kind+"\x00"+b.text, b.kind, b.text, "", b.text)
				continue
			case "url":
				note(i, b.kind+"\x00"+b.text, b.kind, b.text, "", b.text+"=…")
				continue
			}
			class := "el"
			if b.kind == "line" {
				class = "line"
			} else if !b.linked && (b.kind == "p" || b.kind == "div") {
				// A stamp is learned from paragraphs of any length: the
				// source sets it in the article's own. (A list item's or
				// a cell's opening bracket is the article's: "(Optional)".)
				for _, st := range stamps(b.text) {
					masked := st[0] + digits.ReplaceAllString(st[1], mask)
					note(i, "stamp\x00"+masked, "stamp", masked, b.kind, st[1])
				}
			}
			// Links (a link to a source's other pages is the reader's to
			// follow, and an URL rule's to clean), bold labels (a heading
			// in all but name) and blocks of no words (a number, a bullet)
			// are never learned.
			if b.linked || b.bold || letters(b.text) < 2 {
				continue
			}
			kind := ""
			if class == "el" {
				kind = b.kind
			}
			// A block is known by a hash of its text. The text itself is
			// kept when the block may be a template's (see maxFamilyRunes)
			// or once a second post holds it: article paragraphs, met once,
			// leave no copy behind. Only a template's text is kept as
			// evidence; another block's comes from Check, so that it does
			// not depend on the order posts come in.
			masked := digits.ReplaceAllString(b.text, mask)
			h := fnv.New64a()
			h.Write([]byte(masked))
			hash := hashMark + strconv.FormatUint(h.Sum64(), 16)
			key := class + "\x00" + hash
			if templateLike(masked) {
				note(i, key, class, masked, kind, b.text).hash = hash
				continue
			}
			s := note(i, key, class, "", kind, "")
			s.hash = hash
			if s.masked == "" && len(s.posts) >= 2 {
				s.masked = masked
			}
		}
	}
}

// hashMark starts a block's hash. The index keys text blocks by their hash
// and by their first two characters, which a hash is longer than.
const hashMark = "\x02#"

// templateLike reports text that may belong to a family: short enough, and
// with a delimiter where a label or a closing tag would be.
func templateLike(masked string) bool {
	r := []rune(masked)
	if len(r) > maxFamilyRunes {
		return false
	}
	return strings.ContainsAny(string(r[:min(len(r), maxLabelRunes)]), delimiters) ||
		strings.ContainsAny(string(r[max(0, len(r)-maxLabelRunes):]), delimiters)
}

// proposal is one rule the learner proposes.
type proposal struct {
	group   *group
	class   string
	tags    []string
	pattern string    // the regexp, anchored; a stamp's, not
	edge    string    // a stamp's edge: "^" or "$"
	lead    string    // what the blocks it may match start with: see lead
	late    bool      // its evidence comes from Check: the learner kept no text of a post it met
	exact   bool      // it is one block's: lead is that block's text, address or hash
	anchor  *proposal // a sibling's label family: dropped with it
	support int       // posts it was learned from
	example [2]string
	from    [2]string
	name    string // while checking
	final   string // once kept, numbered among the kept
	foreign bool   // posts of another group hold its text: dropped
	takes   []take // the share of each post's text it took
	verdict string // why it is dropped; "" when kept

	// Filled in by Check.
	hits     int     // posts it changed
	maxShare float64 // the largest share of a post's text it took
	checked  bool    // in the set the last Check ran
	out      bool    // dropped by an earlier check, for good
}

// Propose turns what Add gathered into rules. Call it once, after the last
// Add; Check and Write follow.
func (l *Learner) Propose() error {
	l.buildIndex()
	used := map[string]bool{}
	for gi, name := range slices.Sorted(maps.Keys(l.groups)) {
		g := l.groups[name]
		props := l.proposeGroup(g)
		l.foreignFree(g, props)
		sort.SliceStable(props, func(i, j int) bool {
			if props[i].support != props[j].support {
				return props[i].support > props[j].support
			}
			return props[i].pattern < props[j].pattern
		})
		sl := slug(name, gi+1)
		for k := 1; used[sl]; k++ {
			sl = fmt.Sprintf("%s-g%d-%d", slug(name, gi+1), gi+1, k)
		}
		used[sl] = true
		g.slug = sl
		for i, p := range props {
			p.name = fmt.Sprintf("learned-%s-%d", sl, i+1)
		}
		l.proposed = append(l.proposed, props...)
	}
	return l.compile()
}

// need returns the posts a block must be in, by where it mostly is. The end
// of a post is where furniture gathers (footers, notices, navigation); the
// start is where the article begins, and a block that opens a few posts of
// a series is more likely its text, so it needs half the posts; a block in
// the middle needs more.
func (l *Learner) need(g *group, start, end, all int) int {
	n := float64(g.posts)
	edge := max(l.opts.MinPosts, int(math.Ceil(l.opts.MinShare*n)))
	switch {
	case 2*end >= all:
		return edge
	case 2*(start+end) >= all:
		return max(edge, int(math.Ceil(0.5*n)))
	}
	return max(edge, int(math.Ceil(0.6*n)))
}

func (l *Learner) proposeGroup(g *group) []*proposal {
	need := func(s *stat) int { return l.need(g, s.start, s.end, s.all) }
	keys := slices.Sorted(maps.Keys(g.stats))
	var out []*proposal
	covered := map[*stat]bool{}
	// Families: blocks that share a start (or an end) and vary in between.
	// A label family's sibling (下一篇：X beside 上一篇：X, "Next post:"
	// beside "Previous post:") needs less: see sibling.
	type family struct {
		class, label string
		posts        map[int32]bool
		longest      int // runes of its longest block
		prop         *proposal
	}
	var labels []family
	// sibling returns the learned label family that the label of members
	// ends like, when all of their posts hold it, they sit at the posts'
	// ends, and they are no longer than its blocks (a title, not prose).
	sibling := func(class, label string, members []*stat, posts map[int32]bool, end, all int) *proposal {
		if len(posts) < 2 || 2*end < all {
			return nil
		}
		for _, f := range labels {
			if f.class != class || f.label == label || !sharedEnding([]rune(f.label), []rune(label)) {
				continue
			}
			fits := true
			for id := range posts {
				fits = fits && f.posts[id]
			}
			for _, s := range members {
				fits = fits && utf8.RuneCountInString(s.masked) <= 2*f.longest+10
			}
			if fits {
				return f.prop
			}
		}
		return nil
	}
	families := func(atEnd, labelsOnly, siblings bool) {
		buckets := map[string][]*stat{}
		for _, k := range keys {
			s := g.stats[k]
			if covered[s] || s.class != "el" && s.class != "line" || s.masked == "" || utf8.RuneCountInString(s.masked) > maxFamilyRunes {
				continue // long blocks recur whole or not at all
			}
			if a, ok := affix(s.masked, atEnd); ok && (!labelsOnly || isLabelKey(a)) {
				buckets[s.class+"\x00"+a] = append(buckets[s.class+"\x00"+a], s)
			}
		}
		for _, bk := range slices.Sorted(maps.Keys(buckets)) {
			members := buckets[bk]
			if len(members) < 2 && !siblings {
				continue
			}
			all := pool(members) // none covered: buckets hold only the others
			class, label, _ := strings.Cut(bk, "\x00")
			if repeats(all.all, len(all.posts)) {
				continue
			}
			var anchor *proposal
			if siblings {
				if anchor = sibling(class, label, members, all.posts, all.end, all.all); anchor == nil {
					continue
				}
			} else if len(all.posts) < l.need(g, all.start, all.end, all.all) {
				continue
			}
			pat, lead, ok := familyPattern(members, label, atEnd)
			if !ok {
				continue
			}
			for _, s := range members {
				covered[s] = true
			}
			p := &proposal{group: g, class: members[0].class, tags: all.tags, pattern: pat, lead: lead,
				support: len(all.posts), example: all.example, from: all.from, anchor: anchor}
			out = append(out, p)
			if labelsOnly && !siblings {
				labels = append(labels, family{class: class, label: label, posts: all.posts, longest: all.longest, prop: p})
			}
		}
	}
	// Label families first (上一篇：X), so that a value that happens to recur
	// as it is stays in its family rather than becoming a rule of its own
	// and leaving the family too few members.
	families(false, true, false)
	families(false, true, true)
	// Stamps that share their first word ("[Example 报道]", "[Example]").
	stampBuckets := map[string][]*stat{}
	for _, k := range keys {
		if s := g.stats[k]; s.class == "stamp" {
			if key, ok := stampKey(s.masked); ok {
				stampBuckets[key] = append(stampBuckets[key], s)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(stampBuckets)) {
		members := stampBuckets[k]
		if len(members) < 2 {
			continue
		}
		all := pool(members)
		// A stamp met more than once a post ("(Optional)" opening a
		// recipe's steps) is the article's structure, like any block.
		if len(all.posts) < l.need(g, all.start, all.end, all.all) || repeats(all.all, len(all.posts)) {
			continue
		}
		for _, s := range members {
			covered[s] = true
		}
		out = append(out, &proposal{group: g, class: "stamp", edge: members[0].masked[:1], tags: all.tags,
			pattern: stampPattern(members), lead: lead(members[0]), support: len(all.posts), example: all.example, from: all.from})
	}
	// Blocks that recur as they are (numbers aside), and redirects.
	for _, k := range keys {
		s := g.stats[k]
		if covered[s] || s.masked == "" {
			continue // in a label family; a block of one post
		}
		n := need(s)
		if s.class == "url" {
			n = l.need(g, 0, 1, 1) // links are not blocks: the share alone
		}
		if len(s.posts) < n || repeats(s.all, len(s.posts)) {
			continue
		}
		covered[s] = true
		p := &proposal{group: g, class: s.class, tags: tagList(s.tags), pattern: exactPattern(s), lead: lead(s), exact: true,
			support: len(s.posts), example: s.example, from: s.from}
		switch {
		case s.class == "stamp":
			p.edge, p.lead = s.masked[:1], "="+s.masked
		case s.hash != "" && !templateLike(s.masked):
			// What the rule removes from each post, found by Check.
			p.late, p.example, p.from = true, [2]string{}, [2]string{}
		}
		out = append(out, p)
	}
	families(false, false, false)
	families(true, false, false)
	return out
}

// pooled is what the blocks of a family hold together.
type pooled struct {
	posts           map[int32]bool
	start, end, all int
	longest         int // runes of the longest block
	tags            []string
	example, from   [2]string // of the two posts first by name
}

func pool(members []*stat) pooled {
	p := pooled{posts: map[int32]bool{}}
	var tags []string
	for _, s := range members {
		for _, id := range s.posts {
			p.posts[id] = true
		}
		p.start, p.end, p.all = p.start+s.start, p.end+s.end, p.all+s.all
		p.longest = max(p.longest, utf8.RuneCountInString(s.masked))
		tags = append(tags, s.tags...)
		for i := range s.from {
			if s.from[i] != "" {
				keepExample(&p.example, &p.from, s.example[i], s.from[i])
			}
		}
	}
	p.tags = tagList(tags)
	return p
}

// foreignFree marks the proposals whose pattern matches a block that posts
// outside the group hold: that text is not this source's own furniture.
// (Groups by a list field overlap; a post of this group seen in another
// group does not count.) The blocks it tries are those of the index entry
// the proposal's lead names, so that the work grows with the blocks that
// could match, not with every group's blocks for every group.
func (l *Learner) foreignFree(g *group, props []*proposal) {
	for _, p := range props {
		if p.class == "banner" {
			// A host, not text: sources share shorteners and sponsors, and
			// the rule takes only what links there with no text.
			continue
		}
		// A block's own rule is known by its text, or its address or
		// hash: the index entry holds that block alone. A family's is
		// known by its pattern.
		match := func(*stat) bool { return true }
		switch {
		case p.exact:
		case p.class == "stamp":
			re := regexp.MustCompile("^" + p.pattern + "$")
			match = func(s *stat) bool { return s.masked[:1] == p.edge && re.MatchString(s.example[0]) }
		default:
			re := regexp.MustCompile(p.pattern)
			match = func(s *stat) bool { return re.MatchString(s.example[0]) }
		}
		for _, e := range l.index[textual(p.class)+"\x00"+p.lead] {
			if e.group != g && match(e.stat) && outside(e.stat.posts, g.members) {
				p.foreign = true
				break
			}
		}
	}
}

// entry is a block of a group, in the index.
type entry struct {
	group *group
	stat  *stat
}

// lead returns what a block's text starts with, for the index: the
// proposals that could match it share it. An image, a link or a banner is
// its address; a stamp, its edge and first three characters (its bracket
// and the start of its first word); a text block, its hash, and (for the
// families) its first two characters;
// its first two characters. A proposal for one block is looked up by that
// block's text, "=" before it.
func lead(s *stat) string {
	switch {
	case s.class == "img" || s.class == "url" || s.class == "banner":
		return s.masked
	case s.hash != "":
		return s.hash
	case s.class == "stamp":
		return string(firstRunes(s.masked, 4))
	}
	return string(firstRunes(s.masked, 2))
}

// tail is the index key of text blocks by their last two characters, for
// the families known by their end.
func tail(s *stat) string {
	r := []rune(s.masked)
	return "end:" + string(r[max(0, len(r)-2):])
}

func firstRunes(s string, n int) []rune {
	r := []rune(s)
	return r[:min(n, len(r))]
}

// buildIndex indexes every group's blocks by lead (and text blocks by
// tail as well).
func (l *Learner) buildIndex() {
	l.index = map[string][]entry{}
	for _, name := range slices.Sorted(maps.Keys(l.groups)) {
		g := l.groups[name]
		for _, k := range slices.Sorted(maps.Keys(g.stats)) {
			s := g.stats[k]
			if s.masked == "" && s.hash == "" {
				continue
			}
			key := textual(s.class) + "\x00"
			l.index[key+lead(s)] = append(l.index[key+lead(s)], entry{g, s})
			if s.class == "stamp" {
				l.index[key+"="+s.masked] = append(l.index[key+"="+s.masked], entry{g, s})
			}
			if s.hash != "" && s.masked != "" {
				for _, k := range []string{string(firstRunes(s.masked, 2)), tail(s)} {
					l.index[key+k] = append(l.index[key+k], entry{g, s})
				}
			}
		}
	}
}

// affix returns the start (or the end) a family of s is known by: its
// label through the delimiter when one is near the start (来源：, 作者：, so
// that the value's first letters do not split the family), else its
// first (last) few characters.
func affix(s string, end bool) (string, bool) {
	const n = 4
	r := []rune(s)
	if len(r) < n+1 {
		return "", false
	}
	if end {
		return string(r[len(r)-n:]), true
	}
	for i, c := range r[:min(len(r)-1, 12)] {
		if i >= 1 && strings.ContainsRune(delimiters, c) {
			return string(r[:i+1]), true
		}
	}
	return string(r[:n]), true
}

// familyPattern returns a pattern for blocks that share a start and an end
// and vary in between: the common parts literally, the varying part as any
// text of about the lengths seen.
func familyPattern(members []*stat, key string, end bool) (pattern, lead string, ok bool) {
	prefix := []rune(members[0].masked)
	for _, s := range members[1:] {
		prefix = prefix[:commonPrefix(prefix, []rune(s.masked))]
	}
	// A family known by its label stops at it: what the values share
	// beyond (one series' titles) is not the template.
	if k := []rune(key); !end && len(k) > 0 && strings.ContainsRune(delimiters, k[len(k)-1]) && len(prefix) > len(k) {
		prefix = prefix[:len(k)]
	}
	// The end is looked for after the start, so that the two never overlap.
	suffix := []rune(members[0].masked)[len(prefix):]
	for _, s := range members[1:] {
		r := []rune(s.masked)[len(prefix):]
		suffix = suffix[len(suffix)-commonSuffix(suffix, r):]
	}
	// A part that is no label is a coincidence of the examples (a shared
	// last letter): the pattern does not ask for it.
	switch useP, useS := label(prefix), label(suffix); {
	case !useP && !useS:
		return "", "", false
	case !useS:
		suffix = nil
	case !useP:
		prefix = nil
	}
	lo, hi, masks := math.MaxInt, 0, 0
	for _, s := range members {
		r := []rune(s.masked)
		v := r[len(prefix) : len(r)-len(suffix)]
		lo, hi = min(lo, len(v)), max(hi, len(v))
		masks = max(masks, strings.Count(string(v), mask))
	}
	// The varying part of a template is a name, a date or a title: prose
	// that shares a label or a closing tag is the article's.
	if hi == 0 || hi > maxVarying {
		return "", "", false
	}
	// Room for a varying part longer than any seen, but no more than a
	// template's: a family matches no long block, which other groups' hold
	// by hash alone (see maxFamilyRunes).
	// The rule reads the real text, where a masked number is one or more
	// digits: room for up to 20 each.
	hi = min(hi*2+10, maxVarying) + 19*masks
	lead = string(prefix[:min(2, len(prefix))])
	if len(prefix) < 2 {
		lead = "end:" + string(suffix[max(0, len(suffix)-2):])
	}
	return "^" + blank + "*" + literal(string(prefix)) + fmt.Sprintf(".{%d,%d}", lo/2, hi) + literal(string(suffix)) + blank + "*$", lead, true
}

// label reports a fixed part that reads as the label of a "label: value"
// template (上一篇：, 责任编辑：, Source:, （记者 … 报道）): short, with two
// letters or more and a delimiter or bracket. Shared starts without one
// are article prose ("Apple has…", "Apple chief…"), and so are long ones
// (a sentence that differs in one name): they make no family.
func label(fixed []rune) bool {
	if len(fixed) > maxLabelRunes {
		return false
	}
	letters, delimited := 0, false
	for _, c := range fixed {
		switch {
		case unicode.IsLetter(c):
			letters++
		case strings.ContainsRune(delimiters, c):
			delimited = true
		}
	}
	return letters >= 2 && delimited
}

// isLabelKey reports a family key that ends at a label's delimiter.
func isLabelKey(key string) bool {
	r := []rune(key)
	return len(r) > 1 && strings.ContainsRune(delimiters, r[len(r)-1])
}

const delimiters = "：:|｜丨/／—–»>·•【】[]（）()「」《》"

func commonPrefix(a, b []rune) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func commonSuffix(a, b []rune) int {
	i := 0
	for i < len(a) && i < len(b) && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}

// exactPattern returns the pattern of one block: its text, with digit runs
// as any digits and white space as any white space.
func exactPattern(s *stat) string {
	switch s.class {
	case "img", "url", "banner":
		return s.masked
	case "stamp":
		return literal(s.masked[1:])
	}
	return "^" + blank + "*" + literal(s.masked) + blank + "*$"
}

// blank matches what the learner reads as white space (isBlank): a rule
// must see the NBSP, U+3000 indent or zero-width space it saw.
const blank = `[\s\v\p{Z}\p{Cf}\x{85}]`

// literal quotes masked text for a pattern.
func literal(masked string) string {
	var b strings.Builder
	for i, part := range strings.Split(masked, mask) {
		if i > 0 {
			b.WriteString(`\d+`)
		}
		for j, w := range strings.Split(part, " ") {
			if j > 0 {
				b.WriteString(blank + "+")
			}
			b.WriteString(regexp.QuoteMeta(w))
		}
	}
	return b.String()
}

// tagList returns tags sorted, each once.
func tagList(tags []string) []string {
	out := slices.Clone(tags)
	slices.Sort(out)
	return slices.Compact(out)
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// slug names a group in rule names: its value in lower-case ASCII when it
// has some, else g and its place among the groups.
func slug(name string, place int) string {
	name = name[strings.LastIndexByte(name, '/')+1:] // a directory: its own name
	s := strings.Trim(slugRe.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 24 {
		s = strings.Trim(s[:24], "-")
	}
	if s == "" || utf8.RuneCountInString(s)*2 < utf8.RuneCountInString(name) {
		return fmt.Sprintf("g%d", place)
	}
	return s
}

// outside reports whether any of posts is not among members.
func outside(posts []int32, members map[int32]bool) bool {
	for _, id := range posts {
		if !members[id] {
			return true
		}
	}
	return false
}

// keepExample keeps the examples of the two posts first by name, so that
// the evidence does not depend on the order posts arrive in.
func (s *stat) keepExample(text, from string) {
	keepExample(&s.example, &s.from, text, from)
}

// keepExample keeps text as an example from the post from when that post
// is among the two first by name.
func keepExample(example, froms *[2]string, text, from string) {
	switch {
	case from == froms[0] || from == froms[1]:
		// met again, in another round of Check
	case froms[0] == "" || from < froms[0]:
		example[1], froms[1] = example[0], froms[0]
		example[0], froms[0] = text, from
	case froms[1] == "" || from < froms[1]:
		example[1], froms[1] = text, from
	}
}

// sharedEnding reports labels that end alike: in three characters or more,
// from a word's start in both (下一篇： and 上一篇： share 一篇：; "Photo
// credit:" and "Video credit:" share " credit:"; "Credit:" and "Edit:"
// share no word).
func sharedEnding(a, b []rune) bool {
	k := commonSuffix(a, b)
	if k == len(a) && k == len(b) {
		return false
	}
	latin := func(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }
	midWord := func(r []rune) bool { return len(r) > k && k > 0 && latin(r[len(r)-k-1]) && latin(r[len(r)-k]) }
	for midWord(a) || midWord(b) {
		k--
	}
	return k >= 3
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// textual folds the classes of text blocks into one: the same text as a
// paragraph in one source and a line in another is the same text.
func textual(class string) string {
	if class == "line" {
		return "el"
	}
	return class
}

// repeats reports blocks met more than about once in each post they are
// in: furniture comes once a post, while an interview's "记者：" questions or
// a recipe's "Step 2:" lines are the article's own structure.
func repeats(occurrences, posts int) bool { return 2*occurrences > 3*posts }

// stampKey returns the family a stamp is known by: its edge, its opening
// bracket and its first word, when that has two letters or more.
func stampKey(masked string) (string, bool) {
	r := []rune(masked)
	end := 2
	for end < len(r) && (unicode.IsLetter(r[end]) || unicode.IsDigit(r[end])) {
		end++
	}
	if end-2 < 2 {
		return "", false
	}
	return string(r[:end]), true
}

// stampPattern returns the pattern of a family of stamps: the brackets and
// the text all members start with literally, any text up to the closing
// bracket in between.
func stampPattern(members []*stat) string {
	inside := func(s *stat) []rune { r := []rune(s.masked[1:]); return r[1 : len(r)-1] }
	prefix := inside(members[0])
	hi := 0
	for _, s := range members[1:] {
		prefix = prefix[:commonPrefix(prefix, inside(s))]
	}
	for _, s := range members {
		hi = max(hi, len(inside(s))-len(prefix))
	}
	r := []rune(members[0].masked[1:])
	opener, closer := string(r[0]), string(r[len(r)-1])
	return regexp.QuoteMeta(opener) + literal(string(prefix)) +
		fmt.Sprintf("[^%s]{0,%d}", regexp.QuoteMeta(closer), hi*2+4) + regexp.QuoteMeta(closer)
}
