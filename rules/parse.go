package rules

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"gopkg.in/yaml.v3"
)

// Error is one problem in a rule file, at a position.
type Error struct {
	File      string
	Line, Col int
	Rule      string // the rule's name, when known
	Msg       string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Col)
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in a rule file, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As reach each Error.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// posError is an error at a YAML node, before the file and rule are known.
type posError struct {
	node *yaml.Node
	msg  string
}

func (e *posError) Error() string { return e.msg }

func errAt(n *yaml.Node, format string, a ...any) error {
	return &posError{node: n, msg: fmt.Sprintf(format, a...)}
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// SyntaxError turns a YAML decoding error into a FILE:LINE:COL error list;
// the config file reader shares it.
func SyntaxError(file string, err error) ErrorList {
	line, msg := 1, err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	return ErrorList{{File: file, Line: line, Col: 1, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}}
}

// Parse reads a rule file. name is used in messages and as each rule's Origin.
func Parse(name string, data []byte) (*Set, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, SyntaxError(name, err)
	}
	return parseTree(name, &doc)
}

// parseTree reads a rule file already decoded into a YAML document node.
func parseTree(name string, doc *yaml.Node) (*Set, error) {
	p := &parser{file: name}
	if len(doc.Content) == 0 {
		return nil, ErrorList{{File: name, Line: 1, Col: 1, Msg: "empty rule file: want version: 1 and a rules: list"}}
	}
	set := p.file_(doc.Content[0])
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return set, nil
}

type parser struct {
	file string
	rule string // name of the rule being read, for messages
	errs ErrorList
}

func (p *parser) fail(err error) {
	var pe *posError
	if errors.As(err, &pe) {
		p.errs = append(p.errs, &Error{File: p.file, Line: pe.node.Line, Col: pe.node.Column, Rule: p.rule, Msg: pe.msg})
		return
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: 1, Col: 1, Rule: p.rule, Msg: err.Error()})
}

func (p *parser) file_(root *yaml.Node) *Set {
	if root.Kind != yaml.MappingNode {
		p.fail(errAt(root, "want a mapping with version: 1 and a rules: list"))
		return nil
	}
	var version, list *yaml.Node
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "version":
			version = v
		case "rules":
			list = v
		default:
			p.fail(errAt(k, "unknown key %q (want version, rules)", k.Value))
		}
	}
	switch {
	case version == nil:
		p.fail(errAt(root, "missing version: (this program reads version %d)", Version))
	case version.Value != strconv.Itoa(Version):
		p.fail(errAt(version, "unsupported version %q (this program reads version %d)", version.Value, Version))
	}
	set := &Set{}
	if list == nil {
		p.fail(errAt(root, "missing rules: list"))
		return set
	}
	if list.Kind != yaml.SequenceNode {
		p.fail(errAt(list, "rules: want a list of rules"))
		return set
	}
	seen := map[string]int{}
	for _, n := range list.Content {
		r := p.rule_(n)
		if r == nil {
			continue
		}
		if line, dup := seen[r.Name]; dup {
			p.rule = r.Name
			p.fail(errAt(n, "duplicate rule name, first defined on line %d", line))
			continue
		}
		seen[r.Name] = r.Line
		set.rules = append(set.rules, r)
	}
	p.rule = ""
	return set
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (p *parser) rule_(n *yaml.Node) *Rule {
	p.rule = ""
	if n.Kind != yaml.MappingNode {
		p.fail(errAt(n, "want a rule: a mapping with name, description, a target and an action"))
		return nil
	}
	r := &Rule{Origin: p.file, Line: n.Line}
	ok := len(p.errs)
	fields := map[string]*yaml.Node{}
	keys := map[string]*yaml.Node{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fields[k.Value], keys[k.Value] = v, k
	}
	if v := fields["name"]; v != nil {
		r.Name = v.Value
		p.rule = r.Name
		if v.Kind != yaml.ScalarNode || !namePattern.MatchString(v.Value) {
			p.fail(errAt(v, "name: want lower-case letters, digits, '.', '_' or '-'"))
		}
	} else {
		p.fail(errAt(n, "missing name:"))
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, known := ruleKeys[k.Value]; !known {
			p.fail(errAt(k, "unknown key %q (want one of %s)", k.Value, strings.Join(sortedKeys(ruleKeys), ", ")))
		}
	}
	if v := fields["description"]; v == nil {
		p.fail(errAt(n, "missing description:"))
	} else if s, err := scalar(v); err != nil {
		p.fail(err)
	} else if strings.Contains(strings.TrimSpace(s), "\n") || strings.TrimSpace(s) == "" {
		p.fail(errAt(v, "description: want one line"))
	} else {
		r.Description = strings.TrimSpace(s)
	}

	var targets []string
	for _, t := range []string{"select", "comment", "between", "line"} {
		if fields[t] != nil {
			targets = append(targets, t)
		}
	}
	elementOnly := false
	switch {
	case len(targets) == 0:
		p.fail(errAt(n, "missing target: want one of select, comment, between, line"))
	case len(targets) > 1:
		p.fail(errAt(keys[targets[1]], "%s and %s: a rule has one target", targets[0], targets[1]))
	case targets[0] == "select":
		t, err := p.elementTarget(fields)
		if err != nil {
			p.fail(err)
		}
		r.target = t
		elementOnly = true
	case targets[0] == "comment":
		re, err := compileRegexp(fields["comment"])
		if err != nil {
			p.fail(err)
		}
		r.target = &commentTarget{re: re}
	case targets[0] == "line":
		re, err := compileRegexp(fields["line"])
		if err != nil {
			p.fail(err)
		}
		place, err := placeFilter_(fields)
		if err != nil {
			p.fail(err)
		}
		r.target = &lineTarget{re: newPattern(re), place: place}
	case targets[0] == "between":
		t, err := spanTarget_(fields["between"])
		if err != nil {
			p.fail(err)
		}
		r.target = t
	}
	if !elementOnly {
		only := []string{"text", "own-text", "empty"}
		if len(targets) == 1 && targets[0] != "line" {
			only = append(only, placeKeys...) // lines have places too
		}
		for _, k := range only {
			if keys[k] != nil && len(targets) == 1 {
				p.fail(errAt(keys[k], "%s: only with select:", k))
			}
		}
	}

	if v := fields["when"]; v != nil {
		c, err := parseWhen(v)
		if err != nil {
			p.fail(err)
		}
		r.when = c
	}

	if v := fields["action"]; v == nil {
		p.fail(errAt(n, "missing action: (one of %s)", strings.Join(sortedKeys(registry), ", ")))
	} else if a, name, err := buildAction(v, !elementOnly && len(targets) == 1); err != nil {
		p.fail(err)
	} else {
		r.action, r.actName = a, name
		r.keepsText = registry[name].keepsText
	}
	if len(p.errs) > ok {
		return nil
	}
	return r
}

var ruleKeys = map[string]struct{}{
	"name": {}, "description": {}, "select": {}, "text": {}, "own-text": {}, "empty": {},
	"comment": {}, "between": {}, "line": {}, "when": {}, "action": {},
	"position": {}, "max-length": {}, "link-density": {}, "link-tail": {},
}

// placeKeys are the filters that judge an element by its place and make-up.
var placeKeys = []string{"position", "max-length", "link-density", "link-tail"}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (p *parser) elementTarget(f map[string]*yaml.Node) (*elementTarget, error) {
	src, err := scalar(f["select"])
	if err != nil {
		return nil, err
	}
	group, err := cascadia.ParseGroup(src) // parsed once: the tag facts come from it too
	if err != nil {
		return nil, errAt(f["select"], "select: bad CSS selector: %v", err)
	}
	t := &elementTarget{sel: cascadia.Selector(group.Match)}
	if readable(src) { // else it runs on every element, as cascadia alone would
		t.tags, t.plain, t.attrs = subjects(group), onlyTags(group), newAttrFilter(group)
	}
	if v := f["text"]; v != nil {
		re, err := compileRegexp(v)
		if err != nil {
			return nil, err
		}
		t.text = newPattern(re)
	}
	if v := f["own-text"]; v != nil {
		if t.ownText, err = compileRegexp(v); err != nil {
			return nil, err
		}
	}
	if v := f["empty"]; v != nil {
		var b bool
		if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
			return nil, errAt(v, "empty: want true or false")
		}
		t.empty = &b
	}
	t.place, err = placeFilter_(f)
	return t, err
}

// placeFilter_ reads the place filters of a rule, or returns nil when it has
// none.
func placeFilter_(f map[string]*yaml.Node) (*placeFilter, error) {
	pf := &placeFilter{}
	found := false
	if v := f["position"]; v != nil {
		found = true
		a := &args{node: v, key: "position"}
		pf.first, pf.last, pf.textOnly = a.count("first"), a.count("last"), a.flag("text-only")
		if err := a.finish(); err != nil {
			return nil, err
		}
		if v.Kind != yaml.MappingNode || pf.first == nil && pf.last == nil {
			return nil, errAt(v, "position: want first: N, last: N or both")
		}
	}
	if v := f["max-length"]; v != nil {
		found = true
		n, err := count(v, "max-length")
		if err != nil {
			return nil, err
		}
		pf.maxLength = &n
	}
	if v := f["link-density"]; v != nil {
		found = true
		a := &args{node: v, key: "link-density"}
		pf.minDensity, pf.maxDensity = a.share("min"), a.share("max")
		if err := a.finish(); err != nil {
			return nil, err
		}
		if v.Kind != yaml.MappingNode || pf.minDensity == nil && pf.maxDensity == nil {
			return nil, errAt(v, "link-density: want min: X, max: X or both, between 0 and 1")
		}
	}
	if v := f["link-tail"]; v != nil {
		found = true
		a := &args{node: v, key: "link-tail"}
		blocks, least := a.count("max-blocks"), a.share("min-density")
		if err := a.finish(); err != nil {
			return nil, err
		}
		if v.Kind != yaml.MappingNode || blocks == nil {
			return nil, errAt(v, "link-tail: want max-blocks: N (and min-density: X, default 0.5)")
		}
		pf.tail = &tailTest{maxBlocks: *blocks, minDensity: 0.5}
		if least != nil {
			pf.tail.minDensity = *least
		}
	}
	if !found {
		return nil, nil
	}
	return pf, nil
}

// count reads a whole number of at least 1.
func count(v *yaml.Node, key string) (int, error) {
	var n int
	if v.Kind != yaml.ScalarNode || v.Decode(&n) != nil || n < 1 {
		return 0, errAt(v, "%s: want a whole number of at least 1", key)
	}
	return n, nil
}

func spanTarget_(v *yaml.Node) (*spanTarget, error) {
	a := &args{node: v, key: "between"}
	t := &spanTarget{start: a.regexp("start", true), end: a.regexp("end", true)}
	return t, a.finish()
}

// buildAction reads `action: NAME` or `action: {NAME: {ARGS}}`.
func buildAction(v *yaml.Node, nodesOfAnyKind bool) (Action, string, error) {
	var name string
	var argNode *yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		name = v.Value
	case yaml.MappingNode:
		if len(v.Content) != 2 {
			return nil, "", errAt(v, "action: want a name, or a mapping of one name to its arguments")
		}
		name, argNode = v.Content[0].Value, v.Content[1]
	default:
		return nil, "", errAt(v, "action: want a name, or a mapping of one name to its arguments")
	}
	def, ok := registry[name]
	if !ok {
		return nil, "", errAt(v, "unknown action %q (want one of %s)", name, strings.Join(sortedKeys(registry), ", "))
	}
	if def.elementsOnly && nodesOfAnyKind {
		return nil, "", errAt(v, "action %q works on elements only; use it with select:", name)
	}
	a, err := def.build(&args{node: argNode, key: name})
	return a, name, err
}

func scalar(v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", errAt(v, "want a string")
	}
	return v.Value, nil
}

func compileRegexp(v *yaml.Node) (*regex, error) {
	s, err := scalar(v)
	if err != nil {
		return nil, err
	}
	re, err := newRegex(s)
	if err != nil {
		return nil, errAt(v, "bad regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return re, nil
}

// args reads an action's (or a nested block's) mapping of arguments. Each
// getter records the first problem and returns a zero value after it, so a
// builder reads its arguments in a row and asks finish for the verdict,
// which also reports keys that no getter asked for.
type args struct {
	node *yaml.Node // nil when the action was written as a bare name
	key  string     // for messages
	used map[string]bool
	err  error // the first problem
}

func (a *args) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// get returns the value node of key, or nil.
func (a *args) get(key string, required bool) *yaml.Node {
	if a.used == nil {
		a.used = map[string]bool{}
	}
	a.used[key] = true
	if a.node != nil && a.node.Kind == yaml.MappingNode {
		for i := 0; i < len(a.node.Content); i += 2 {
			if a.node.Content[i].Value == key {
				return a.node.Content[i+1]
			}
		}
	}
	if required {
		if a.node == nil {
			a.fail(&posError{node: &yaml.Node{Line: 1, Column: 1}, msg: fmt.Sprintf("%s: missing %s:", a.key, key)})
		} else {
			a.fail(errAt(a.node, "%s: missing %s:", a.key, key))
		}
	}
	return nil
}

func (a *args) str(key string, required bool) string {
	v := a.get(key, required)
	if v == nil {
		return ""
	}
	s, err := scalar(v)
	a.fail(err)
	return s
}

func (a *args) regexp(key string, required bool) *regex {
	v := a.get(key, required)
	if v == nil {
		return nil
	}
	re, err := compileRegexp(v)
	a.fail(err)
	return re
}

// count reads a whole number of at least 1, or nil when key is absent.
func (a *args) count(key string) *int {
	v := a.get(key, false)
	if v == nil {
		return nil
	}
	n, err := count(v, a.key+": "+key)
	if err != nil {
		a.fail(err)
		return nil
	}
	return &n
}

// flag reads true or false; false when key is absent.
func (a *args) flag(key string) bool {
	v := a.get(key, false)
	var b bool
	if v != nil && (v.Kind != yaml.ScalarNode || v.Decode(&b) != nil) {
		a.fail(errAt(v, "%s: %s: want true or false", a.key, key))
	}
	return b
}

// share reads a number from 0 to 1, or nil when key is absent.
func (a *args) share(key string) *float64 {
	v := a.get(key, false)
	if v == nil {
		return nil
	}
	var x float64
	if v.Kind != yaml.ScalarNode || v.Decode(&x) != nil || x < 0 || x > 1 {
		a.fail(errAt(v, "%s: %s: want a number from 0 to 1", a.key, key))
		return nil
	}
	return &x
}

// strs reads a string or a list of strings.
func (a *args) strs(key string, required bool) []string {
	v := a.get(key, required)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.ScalarNode {
		return []string{v.Value}
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		a.fail(errAt(v, "%s: want a string or a list of strings", key))
		return nil
	}
	out := make([]string, len(v.Content))
	for i, c := range v.Content {
		if c.Kind != yaml.ScalarNode || c.Value == "" {
			a.fail(errAt(c, "%s: want non-empty strings", key))
			return nil
		}
		out[i] = c.Value
	}
	return out
}

// finish reports the first problem met, or else the first key that no
// getter asked for.
func (a *args) finish() error {
	if a.err != nil {
		return a.err
	}
	if a.node == nil {
		return nil
	}
	if a.node.Kind != yaml.MappingNode {
		if len(a.used) == 0 && a.node.Kind == yaml.ScalarNode && a.node.Value == "" {
			return nil // `remove:` with nothing after it
		}
		return errAt(a.node, "%s: want a mapping of arguments", a.key)
	}
	for i := 0; i < len(a.node.Content); i += 2 {
		k := a.node.Content[i]
		if !a.used[k.Value] {
			known := sortedKeys(a.used)
			if len(known) == 0 {
				return errAt(k, "%s: takes no arguments, got %q", a.key, k.Value)
			}
			return errAt(k, "%s: unknown key %q (want %s)", a.key, k.Value, strings.Join(known, ", "))
		}
	}
	return nil
}
