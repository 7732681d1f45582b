package rules

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

func init() {
	register("strip-params", actionDef{
		doc: "remove the query parameters named in params (a trailing * matches any ending; case-insensitive) " +
			"from the URL in attr (default href), on any host or, with hosts, only on those hosts and their subdomains",
		elementsOnly: true,
		keepsText:    true,
		build:        buildStripParams,
	})
	register("remove-to-end", actionDef{
		doc:          "remove the element and everything after it to the end of the document",
		elementsOnly: true,
		keepsText:    true,
		build:        noArgs(ActionFunc(removeToEnd)),
	})
}

// stripParams drops tracking parameters from a URL and keeps the link.
type stripParams struct {
	attr     string
	exact    map[string]bool
	prefixes []string
	hosts    []string
}

func buildStripParams(a *args) (Action, error) {
	attr, params, hosts := a.str("attr", false), a.strs("params", true), a.strs("hosts", false)
	if err := a.finish(); err != nil {
		return nil, err
	}
	if attr == "" {
		attr = "href"
	}
	s := &stripParams{attr: strings.ToLower(attr), exact: map[string]bool{}, hosts: lower(hosts)}
	for _, p := range lower(params) {
		if pre, ok := strings.CutSuffix(p, "*"); ok {
			s.prefixes = append(s.prefixes, pre)
		} else {
			s.exact[p] = true
		}
	}
	return s, nil
}

func (s *stripParams) tracks(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	if s.exact[key] {
		return true
	}
	for _, p := range s.prefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func (s *stripParams) Apply(n *html.Node) bool {
	v, ok := attrOK(n, s.attr)
	if !ok {
		return false
	}
	q := strings.IndexByte(v, '?')
	if q < 0 {
		return false
	}
	if len(s.hosts) > 0 && !onHost(v, s.hosts) {
		return false
	}
	query, frag := v[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	// The query is cut by hand, not re-encoded, so that the parameters kept
	// stay byte for byte as the site wrote them.
	var keep []string
	dropped := false
	for _, kv := range strings.Split(query, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if kv != "" && s.tracks(k) {
			dropped = true
			continue
		}
		if kv != "" {
			keep = append(keep, kv)
		}
	}
	if !dropped {
		return false
	}
	nv := v[:q]
	if len(keep) > 0 {
		nv += "?" + strings.Join(keep, "&")
	}
	setAttrVal(n, s.attr, nv+frag)
	return true
}

// onHost reports whether raw is an absolute URL on one of hosts or their
// subdomains.
func onHost(raw string, hosts []string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return false
	}
	h := strings.ToLower(u.Hostname())
	for _, want := range hosts {
		if h == want || strings.HasSuffix(h, "."+want) {
			return true
		}
	}
	return false
}

// removeToEnd removes n and every node after it in document order, leaving
// the ancestors that hold content before n.
func removeToEnd(n *html.Node) bool {
	p := n.Parent
	if p == nil {
		return false
	}
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		if c.Type == html.ElementNode && (c.Data == "body" || c.Data == "html") {
			break
		}
		for s := c.NextSibling; s != nil; s = c.NextSibling {
			c.Parent.RemoveChild(s)
		}
	}
	p.RemoveChild(n)
	return true
}

// pathDestination returns the absolute http(s) URL a redirect carries in its path
// rather than in a parameter (/go/https://example.com/..., or the same
// percent- or base64-encoded), or "". Only the first place where the path
// reads on as "http:" or "https:" is decoded: decoding the rest of the path
// at every slash would take time quadratic in its length.
func pathDestination(u *url.URL) string {
	path := u.EscapedPath()
	for i := 0; i < len(path); i++ {
		if path[i] != '/' {
			continue
		}
		rest := path[i+1:]
		if startsWithScheme(rest) {
			if u.RawQuery != "" {
				rest += "?" + u.RawQuery
			}
			if d, err := url.PathUnescape(rest); err == nil && absolute(d) {
				return d
			}
			return ""
		}
		seg, _, _ := strings.Cut(rest, "/")
		if d := unbase64(seg); d != "" {
			return d
		}
	}
	return ""
}

// startsWithScheme reports whether s, percent-decoded, starts with "http:"
// or "https:" in any case. It decodes no more than those few bytes.
func startsWithScheme(s string) bool {
	var head []byte
	for len(head) < len("https:") && s != "" {
		c := s[0]
		s = s[1:]
		if c == '%' && len(s) >= 2 {
			b, err := strconv.ParseUint(s[:2], 16, 8)
			if err != nil {
				return false
			}
			c, s = byte(b), s[2:]
		}
		head = append(head, c)
	}
	h := strings.ToLower(string(head))
	return strings.HasPrefix(h, "http:") || strings.HasPrefix(h, "https:")
}

// unbase64 decodes a base64 text (either alphabet, padded or not) that holds
// an absolute http(s) URL, or returns "".
func unbase64(s string) string {
	if !strings.HasPrefix(s, "aHR0c") { // "http" encoded
		return ""
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && absolute(string(b)) {
			return string(b)
		}
	}
	return ""
}

// absolute reports an http or https URL with a host: the only destinations a
// redirect may be unwrapped to.
func absolute(s string) bool {
	d, err := url.Parse(s)
	return err == nil && (d.Scheme == "http" || d.Scheme == "https") && d.Host != ""
}
