package rules

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

func init() {
	register("set-attr", actionDef{
		doc: "set attr from the first non-empty of the from attributes (a srcset gives its first URL), " +
			"when attr is missing or empty or matches replace, unless it already ends with that value (a proxy of it)",
		elementsOnly: true,
		keepsText:    true,
		build:        buildSetAttr,
	})
	register("remove-attr", actionDef{
		doc:          "remove the named attributes, and those whose names match pattern",
		elementsOnly: true,
		keepsText:    true,
		build:        buildRemoveAttr,
	})
	register("replace-attr", actionDef{
		doc:          "replace every match of pattern in attr's value with `with` ($1 expands)",
		elementsOnly: true,
		keepsText:    true,
		build:        buildReplaceAttr,
	})
	register("unwrap-url", actionDef{
		doc: "replace a redirect or tracking URL in attr (default href) with the destination carried in " +
			"one of the query parameters params, or else in its path (plain, percent- or base64-encoded); with no destination inside, unwrap the element (a link keeps its text)",
		elementsOnly: true,
		keepsText:    true,
		build:        buildUnwrapURL,
	})
}

type setAttr struct {
	attr    string
	from    []string
	replace *regex
}

func buildSetAttr(a *args) (Action, error) {
	s := &setAttr{attr: strings.ToLower(a.str("attr", true)), from: lower(a.strs("from", true)), replace: a.regexp("replace", false)}
	return s, a.finish()
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

func (s *setAttr) Apply(n *html.Node) bool {
	cur, has := attrOK(n, s.attr)
	for _, f := range s.from {
		v := strings.TrimSpace(Attr(n, f))
		if strings.HasSuffix(f, "srcset") {
			v = firstSrcset(v)
		}
		if v == "" || strings.HasSuffix(cur, v) {
			// Nothing to set, or the current value already points at it (an
			// image proxy wraps the URL it loads): keep what works.
			continue
		}
		// Only now the regexp: most elements have no from attribute.
		if has && strings.TrimSpace(cur) != "" && (s.replace == nil || !s.replace.MatchString(cur)) {
			return false
		}
		setAttrVal(n, s.attr, v)
		return true
	}
	return false
}

// firstSrcset returns the URL of a srcset's first candidate.
func firstSrcset(v string) string {
	first, _, _ := strings.Cut(v, ",")
	u, _, _ := strings.Cut(strings.TrimSpace(first), " ")
	return u
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttrVal(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

type removeAttr struct {
	names   map[string]bool
	pattern *regex
}

func buildRemoveAttr(a *args) (Action, error) {
	names, pattern := a.strs("names", false), a.regexp("pattern", false)
	if err := a.finish(); err != nil {
		return nil, err
	}
	if len(names) == 0 && pattern == nil {
		return nil, errAt(a.node, "remove-attr: want names:, pattern: or both")
	}
	r := &removeAttr{names: map[string]bool{}, pattern: pattern}
	for _, n := range lower(names) {
		r.names[n] = true
	}
	return r, nil
}

func (r *removeAttr) Apply(n *html.Node) bool {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if r.names[a.Key] || r.pattern != nil && r.pattern.MatchString(a.Key) {
			continue
		}
		kept = append(kept, a)
	}
	changed := len(kept) != len(n.Attr)
	n.Attr = kept
	return changed
}

type unwrapURL struct {
	attr   string
	params []string
}

func buildUnwrapURL(a *args) (Action, error) {
	attr, params := a.str("attr", false), a.strs("params", false)
	if err := a.finish(); err != nil {
		return nil, err
	}
	if attr == "" {
		attr = "href"
	}
	if len(params) == 0 {
		params = []string{"url", "u", "target", "t", "q", "to", "dest", "redirect", "link"}
	}
	return &unwrapURL{attr: strings.ToLower(attr), params: params}, nil
}

func (u *unwrapURL) Apply(n *html.Node) bool {
	v, ok := attrOK(n, u.attr)
	if !ok {
		return false
	}
	if dest := destination(v, u.params); dest != "" {
		setAttrVal(n, u.attr, dest)
		return true
	}
	// Nothing to go to: the wrapper only tracked the click.
	return unwrap(n)
}

// destination returns the absolute http(s) URL carried in the first of
// params that holds one (plain or base64-encoded), else one carried in the
// path, or "".
func destination(raw string, params []string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	q := u.Query()
	for _, p := range params {
		for _, v := range q[p] {
			v = strings.TrimSpace(v)
			if absolute(v) {
				return v
			}
			if d := unbase64(v); d != "" {
				return d
			}
		}
	}
	return pathDestination(u)
}

type replaceAttr struct {
	attr string
	re   *regex
	with string
}

func buildReplaceAttr(a *args) (Action, error) {
	r := &replaceAttr{attr: strings.ToLower(a.str("attr", true)), re: a.regexp("pattern", true), with: a.str("with", false)}
	return r, a.finish()
}

func (r *replaceAttr) Apply(n *html.Node) bool {
	v, ok := attrOK(n, r.attr)
	if !ok {
		return false
	}
	if nv := r.re.ReplaceAllString(v, r.with); nv != v {
		setAttrVal(n, r.attr, nv)
		return true
	}
	return false
}
