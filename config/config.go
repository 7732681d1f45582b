// Package config reads mdclean's project file, .mdclean.yaml: the rule files
// a content repository adds, the rules it turns off, and which files a
// directory walk takes. It only reads and checks the file; applying it is
// the caller's work, so that this package knows neither rules nor walks.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	// Go's path.Match has no "**", and content trees are globbed by
	// "content/**/*.md"; doublestar matches "**" across directories with
	// the rest of path.Match's syntax unchanged.
	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/mdclean/mdclean/rules"
)

// FileName is the name of the file Find looks for.
const FileName = ".mdclean.yaml"

// Config is a loaded config file.
type Config struct {
	File string // the file, as found or given
	Dir  string // its directory: relative paths in the file are relative to it

	Rules   []string // rule files, joined to Dir unless absolute
	Disable []string // names of rules to drop
	Include []string // globs, slash-separated, relative to Dir
	Exclude []string

	absDir string
	// realDir is absDir with symbolic links resolved, as WalkFilter's
	// paths are.
	realDir string
	pos     map[string][]*yaml.Node // each key's list entries, for messages
}

// Error is a problem in a config file, at a position; config files report
// problems the way rule files do.
type Error = rules.Error

// ErrorList is every problem found in a config file, in file order.
type ErrorList = rules.ErrorList

// Find looks for FileName in dir, then in each directory above it up to
// the file system root, and returns the first found, spelled from dir
// ("../../.mdclean.yaml"), or "" for none.
func Find(dir string) (string, error) {
	for {
		p := filepath.Join(dir, FileName)
		_, err := os.Stat(p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		// The parent is reached with "..", not by trimming dir, so that the
		// path found is the one opened, and the root ends the search as
		// the directory that is its own parent.
		up := filepath.Join(dir, "..")
		here, err1 := os.Stat(dir)
		above, err2 := os.Stat(up)
		if err1 != nil || err2 != nil || os.SameFile(here, above) {
			return "", nil
		}
		dir = up
	}
}

// Load reads and checks the config file at path. A file that cannot be
// read is reported as "PATH: reason"; problems in it as FILE:LINE:COL lines
// (an ErrorList).
func Load(path string) (*Config, error) {
	// A FIFO or /dev/zero named .mdclean.yaml in a cloned repository must
	// not hang a hook: the config is read like a rule file.
	data, err := readRegular(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(path, data)
}

// keys are the keys a config file may have, in the order messages list them.
var keys = []string{"disable", "exclude", "include", "rules"}

// Parse checks the config text data read from path.
func Parse(path string, data []byte) (*Config, error) {
	c := &Config{File: path, Dir: filepath.Dir(path), pos: map[string][]*yaml.Node{}}
	abs, err := filepath.Abs(c.Dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.absDir = abs
	c.realDir = abs
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		c.realDir = r // walks compare real paths: links spelled either way agree
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, rules.SyntaxError(path, err)
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty file asks for nothing
	}
	var errs ErrorList
	fail := func(n *yaml.Node, format string, a ...any) {
		errs = append(errs, &Error{File: path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, a...)})
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		fail(root, "want a mapping with any of %s", strings.Join(keys, ", "))
		return nil, errs
	}
	lists := map[string]*[]string{"rules": &c.Rules, "disable": &c.Disable, "include": &c.Include, "exclude": &c.Exclude}
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		dst, known := lists[k.Value]
		if !known {
			fail(k, "unknown key %q (want %s)", k.Value, strings.Join(keys, ", "))
			continue
		}
		if c.pos[k.Value] != nil {
			fail(k, "%s: given twice", k.Value)
			continue
		}
		if v.Kind != yaml.SequenceNode {
			fail(v, "%s: want a list", k.Value)
			continue
		}
		c.pos[k.Value] = []*yaml.Node{}
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode || strings.TrimSpace(e.Value) == "" {
				fail(e, "%s: want a non-empty string", k.Value)
				continue
			}
			if (k.Value == "include" || k.Value == "exclude") && !doublestar.ValidatePattern(e.Value) {
				fail(e, "%s: bad glob %q", k.Value, e.Value)
				continue
			}
			s := e.Value
			switch {
			case k.Value == "rules" && !filepath.IsAbs(s):
				s = filepath.Join(c.Dir, filepath.FromSlash(s))
			case k.Value == "include" || k.Value == "exclude":
				// Paths are matched as "content/a.md"; "drafts/" means
				// everything below drafts, as in .gitignore.
				s = strings.TrimPrefix(s, "./")
				if strings.HasSuffix(s, "/") {
					s += "**"
				}
			}
			*dst = append(*dst, s)
			c.pos[k.Value] = append(c.pos[k.Value], e)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// Errorf returns an error at entry i of the list under key ("rules",
// "disable", ...), for problems found when the config is applied: a rule
// file that does not load, a rule name no rule file defines.
func (c *Config) Errorf(key string, i int, format string, a ...any) error {
	e := &Error{File: c.File, Line: 1, Col: 1, Msg: fmt.Sprintf(format, a...)}
	if ns := c.pos[key]; i >= 0 && i < len(ns) {
		e.Line, e.Col = ns[i].Line, ns[i].Column
	}
	return e
}

// WalkFilter returns the function that says whether a file met in a
// directory walk is taken, given its absolute path, or nil when the config
// has neither include nor exclude globs. A file outside the config file's
// directory matches no glob: with include globs it is skipped.
func (c *Config) WalkFilter() func(abs string) bool {
	if c == nil || len(c.Include) == 0 && len(c.Exclude) == 0 {
		return nil
	}
	return func(abs string) bool {
		rel, ok := relBelow(c.realDir, abs)
		if !ok {
			return len(c.Include) == 0
		}
		rel = filepath.ToSlash(rel)
		if len(c.Include) > 0 && !matchAny(c.Include, rel) {
			return false
		}
		return !matchAny(c.Exclude, rel)
	}
}

func matchAny(globs []string, rel string) bool {
	for _, g := range globs {
		if doublestar.MatchUnvalidated(g, rel) {
			return true
		}
	}
	return false
}
