package learn

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/mdclean/mdclean/rules"
)

// Settle decides which checked rules survive (see budget). When a rule
// that changed posts in the check is dropped, the blocks it took may be
// what a kept rule would take too, uncounted, or what a rule that changed
// nothing would have taken: the others are then to be checked again,
// without it, and Settle reports that Check must run over every post once
// more. Each round drops a rule for good, so the rounds end.
func (l *Learner) Settle() (again bool, err error) {
	l.budget()
	for _, p := range l.proposed {
		if p.checked && !p.out && p.verdict != "" && p.hits > 0 {
			again = true
		}
	}
	if !again {
		return false, nil
	}
	for _, p := range l.proposed {
		switch {
		case p.out:
		case p.verdict != "" && p.hits > 0:
			p.out = true
		default:
			p.hits, p.maxShare, p.takes = 0, 0, nil
		}
	}
	l.budgeted = false
	return true, l.compile()
}

// compile writes the proposals still in the running as a rule file per
// group and reads each back, as --rules will: what Check runs is what the
// user gets. A post meets only its groups' rules, so that checking grows
// with the posts, not with the posts times the groups.
func (l *Learner) compile() error {
	check := map[*group][]*proposal{}
	l.byName = map[string]*proposal{}
	for _, p := range l.proposed {
		p.checked = !p.foreign && !p.out
		if p.checked {
			check[p.group] = append(check[p.group], p)
			l.byName[p.name] = p
		}
	}
	l.sets = map[string]*rules.Set{}
	for g, props := range check {
		var b bytes.Buffer
		l.write(&b, props, false)
		set, err := rules.Parse("learned.yaml", b.Bytes())
		if err != nil {
			return fmt.Errorf("learned rules do not parse (a bug; please report it): %w", err)
		}
		l.sets[g.name] = set
	}
	return nil
}

// Check runs the proposed rules on one post and records what each took.
// Call it for every post of every group, after Propose.
func (l *Learner) Check(p Post) {
	if p.Body == nil || l.sets == nil {
		return
	}
	_, total := blocksOf(p.Body)
	taken, removed := map[string]int{}, map[string]string{}
	env := p.Env
	env.Trace = func(r *rules.Rule, n *html.Node) {
		if r.ActionName() == "remove" { // unwrap-url keeps the text
			t := rules.Text(n)
			taken[r.Name] += utf8.RuneCountInString(collapse(t))
			// A line rule removes its line node by node; the evidence is
			// the start of what a rule took.
			if len(removed[r.Name]) < 1000 {
				removed[r.Name] += t
			}
		}
	}
	// In the order of the rule file: by group.
	names := slices.Clone(p.Groups)
	slices.Sort(names)
	type ran struct {
		rule *rules.Rule
		hits int
	}
	var all []ran
	for _, name := range slices.Compact(names) {
		set := l.sets[name]
		if set == nil {
			continue
		}
		hits := set.Apply(p.Body, env)
		for k, r := range set.Rules() {
			all = append(all, ran{r, hits[k]})
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range all {
		r := x.rule
		if x.hits == 0 {
			continue
		}
		prop := l.byName[r.Name]
		if prop == nil {
			continue
		}
		prop.hits++
		if prop.late {
			keepExample(&prop.example, &prop.from, collapse(removed[r.Name]), p.Name)
		}
		// A stub of a post (a title's worth of text) says nothing of how
		// much of an article a rule takes.
		if total >= minShareText && taken[r.Name] > 0 {
			prop.maxShare = max(prop.maxShare, float64(taken[r.Name])/float64(total))
			prop.takes = append(prop.takes, take{post: p.Name, share: float64(taken[r.Name]) / float64(total)})
		}
	}
}

// minShareText is the least text a post must have for the share of it a
// rule takes to count.
const minShareText = 100

// take is the share of one post's text a rule took.
type take struct {
	post  string
	share float64
}

// kept reports whether a checked proposal survives (see budget).
func (l *Learner) kept(p *proposal) bool {
	l.budget()
	return p.verdict == ""
}

// budget decides which checked proposals survive: those that changed some
// post and, taken together with the better-supported rules kept before
// them, take no more than MaxRemove of any post's text. Every rule alone
// within the limit could otherwise add up to much of a post.
func (l *Learner) budget() {
	if l.budgeted {
		return
	}
	l.budgeted = true
	order := append([]*proposal(nil), l.proposed...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].hits > order[j].hits })
	used := map[string]float64{}
	for _, p := range order {
		if p.out {
			continue // dropped by an earlier check
		}
		p.verdict = ""
		sort.Slice(p.takes, func(i, j int) bool { return p.takes[i].post < p.takes[j].post })
		switch {
		case p.foreign:
			p.verdict = "posts of another group hold its text"
			continue
		case p.hits == 0:
			p.verdict = "changes no post"
			continue
		case p.maxShare > l.opts.MaxRemove:
			p.verdict = fmt.Sprintf("would take %.0f%% of a post's text", 100*p.maxShare)
			continue
		}
		for _, t := range p.takes {
			if used[t.post]+t.share > l.opts.MaxRemove {
				p.verdict = fmt.Sprintf("with the rules before it, would take %.0f%% of %s", 100*(used[t.post]+t.share), oneLine(t.post))
				break
			}
		}
		if p.verdict == "" {
			for _, t := range p.takes {
				used[t.post] += t.share
			}
		}
	}
	// A sibling was learned on its family's strength.
	for _, p := range order {
		if a := p.anchor; a != nil && p.verdict == "" && !p.out && (a.foreign || a.out || a.verdict != "") {
			p.verdict = "the label family it goes with is dropped"
		}
	}
}

// kept returns the proposals that passed Check, named in their final
// order: by group, then by support.
func (l *Learner) keptRules() []*proposal {
	var keep []*proposal
	n := map[*group]int{}
	for _, p := range l.proposed {
		if l.kept(p) {
			n[p.group]++
			p.final = fmt.Sprintf("learned-%s-%d", p.group.slug, n[p.group])
			keep = append(keep, p)
		}
	}
	return keep
}

// Write writes the rule file: the proposals that passed Check, sorted by
// group and then by support, each with its evidence.
func (l *Learner) Write(w io.Writer) error {
	keep := l.keptRules()
	var b bytes.Buffer
	l.write(&b, keep, true)
	_, err := w.Write(b.Bytes())
	return err
}

// Summary writes, per group, the posts, the rules kept and dropped, and the
// most of a post's text each kept rule takes.
func (l *Learner) Summary(w io.Writer) {
	l.keptRules()
	for _, name := range slices.Sorted(maps.Keys(l.groups)) {
		g := l.groups[name]
		kept, dropped := 0, 0
		for _, q := range l.proposed {
			if q.group == g {
				if l.kept(q) {
					kept++
				} else {
					dropped++
				}
			}
		}
		fmt.Fprintf(w, "%s: %d posts, %d rules (%d dropped)\n", l.groupLabel(g), g.posts, kept, dropped)
		for _, p := range l.proposed {
			if p.group != g {
				continue
			}
			name, verdict, hits := p.final, fmt.Sprintf("takes up to %.0f%% of a post's text", 100*p.maxShare), p.hits
			switch {
			case !l.kept(p):
				name, verdict = "(dropped)", p.verdict
			case p.class == "stamp":
				verdict = "takes the stamp and keeps the paragraph"
			case p.class == "banner":
				verdict = "takes the links and keeps the pictures"
			case len(p.takes) == 0 && (p.class == "el" || p.class == "line"):
				verdict = "takes text only from posts too short to measure"
			}
			if p.foreign {
				hits = p.support // not run: its support when learned
			}
			example := "“" + oneLine(short(p.example[0])) + "”"
			if p.late && p.example[0] == "" {
				example = "no example: a block known by its hash" // not checked: no evidence
			}
			fmt.Fprintf(w, "  %-28s in %d of %d posts; %s; e.g. %s\n", name, hits, g.posts, verdict, example)
		}
	}
}

// groupLabel names a group on one line: it goes into comments and
// descriptions, and a field value may hold a line break.
func (l *Learner) groupLabel(g *group) string {
	if l.opts.By == "" {
		return "directory " + oneLine(g.name)
	}
	return oneLine(l.opts.By) + " " + oneLine(g.name)
}

// write writes a rule file of props; final adds the evidence Check found.
func (l *Learner) write(b *bytes.Buffer, props []*proposal, final bool) {
	b.WriteString("# Rules learned by mdclean suggest from the posts' own recurring blocks.\n")
	b.WriteString("# Review each one before use: delete what is not junk, then add the file\n")
	b.WriteString("# to .mdclean.yaml (rules:) and check with mdclean -d.\n")
	b.WriteString("version: 1\nrules:\n")
	if len(props) == 0 {
		b.WriteString("  []\n")
		return
	}
	var last *group
	n := 0
	for _, p := range props {
		if p.group != last {
			last, n = p.group, 0
			fmt.Fprintf(b, "\n  # %s: %d posts\n", l.groupLabel(p.group), p.group.posts)
		}
		n++
		name := p.name
		support := p.support
		if final {
			name, support = p.final, p.hits
		}
		fmt.Fprintf(b, "  - name: %s\n", name)
		fmt.Fprintf(b, "    description: %s\n", quote(fmt.Sprintf("Learned: in %d of %d posts (%s); e.g. %s",
			support, p.group.posts, l.groupLabel(p.group), "“"+oneLine(short(p.example[0]))+"”")))
		for i := range p.from {
			if p.from[i] != "" {
				fmt.Fprintf(b, "    # %s: %s\n", oneLine(p.from[i]), oneLine(short(p.example[i])))
			}
		}
		action := "remove"
		switch p.class {
		case "url":
			prefix, param, _ := strings.Cut(p.pattern, "?")
			fmt.Fprintf(b, "    select: %s\n", quote(`a[href^="`+cssString(prefix+"?")+`"]`))
			action = "{unwrap-url: {params: [" + quote(param) + "]}}"
		case "line":
			fmt.Fprintf(b, "    line: %s\n", quote(p.pattern))
		case "img":
			fmt.Fprintf(b, "    select: %s\n", quote(`img[src="`+cssString(p.pattern)+`"]`))
		case "banner":
			host := cssString(p.pattern)
			fmt.Fprintf(b, "    select: %s\n", quote(`a[href^="https://`+host+`/"], a[href^="http://`+host+`/"]`))
			fmt.Fprintf(b, "    text: %s\n", quote("^"+blank+"*$"))
			// The link goes, the picture stays: a banner that changes from
			// post to post is told from the article's pictures by its link
			// alone, and a reviewer may well make this remove.
			action = "unwrap"
		case "stamp":
			fmt.Fprintf(b, "    select: %s\n", quote(strings.Join(p.tags, ", ")))
			text, cut := "^"+blank+"*"+p.pattern, "^"+blank+"*"+p.pattern+blank+"*"
			if p.edge == "$" {
				text, cut = p.pattern+blank+"*$", blank+"*"+p.pattern+blank+"*$"
			}
			fmt.Fprintf(b, "    text: %s\n", quote(text))
			at := "start"
			if p.edge == "$" {
				at = "end"
			}
			action = "{replace-text: {pattern: " + quote(cut) + ", with: \"\", at: " + at + "}}"
		default:
			fmt.Fprintf(b, "    select: %s\n", quote(strings.Join(p.tags, ", ")))
			fmt.Fprintf(b, "    text: %s\n", quote(p.pattern))
		}
		fmt.Fprintf(b, "    when: %s\n", l.condition(p.group))
		fmt.Fprintf(b, "    action: %s\n", action)
	}
}

// condition scopes a rule to its group. A directory group is named by the
// directory as the posts' paths give it, so the rule holds for posts named
// the same way (mdclean run from where suggest was).
func (l *Learner) condition(g *group) string {
	if l.opts.By == "" {
		if g.name == "." {
			return "{path: " + quote(`^[^/]*$`) + "}"
		}
		return "{path: " + quote(`^`+regexp.QuoteMeta(g.name)+`/[^/]*$`) + "}"
	}
	return "{front-matter: {" + quote(l.opts.By) + ": {has: " + quote(g.name) + "}}}"
}

// quote writes s as a YAML double-quoted scalar; Go's escapes are YAML's.
func quote(s string) string { return strconv.Quote(s) }

// cssString escapes s for a double-quoted CSS string.
func cssString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\a `).Replace(s)
}

// short cuts text for a description.
func short(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:59]) + "…"
}

// oneLine makes s safe for one line of a YAML comment or the terminal:
// valid UTF-8, every character printable (line and paragraph separators,
// NEL, C1 controls and non-characters become spaces).
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) || r == 0xfffe || r == 0xffff {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
