package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mdclean/mdclean/rules"
)

// StdinName names standard input in messages, as gofmt does.
const StdinName = "<standard input>"

// PathError is a problem with one file, reported as "PATH: reason".
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Stats add up what a run did.
type Stats struct {
	Rules                      *rules.Set
	Hits                       rules.Hits // per rule of Rules
	Files                      int        // posts looked at
	Changed, Unchanged, Failed int
	BytesIn, BytesOut          int64
	Templates                  int      // posts whose output holds template syntax Hexo would run
	TemplatePosts              []string // their paths, sorted when written

	found map[string]bool // real paths of the directories posts were found in, and of their parents
	dirs  map[string]bool // the directories of posts already marked in found, as their paths give them
	erred map[string]bool // real paths of directory arguments whose walk met an error
}

// newStats returns empty stats for a rule set.
func newStats(set *rules.Set) *Stats {
	return &Stats{Rules: set, Hits: make(rules.Hits, set.Len())}
}

func (s *Stats) add(o *outcome) {
	s.Files++
	if o.in.Root != "" && o.in.Rel == "" && o.in.Err != nil { // the walk of a directory argument failed
		if s.erred == nil {
			s.erred = map[string]bool{}
		}
		s.erred[realPath(o.in.Root)] = true
	}
	if o.in.Path != "-" && (o.in.Rel != "" || o.in.Root == "") { // a post, found or named
		// Every directory above the post, by real path: an argument inside
		// another ("posts posts/sub"), or naming it another way (through a
		// link, absolute), has its posts taken under the first, once.
		// Resolving links costs system calls: once per directory. A walk
		// follows no link to a file, so a found post's real directory is
		// that of its directory as written (uncleaned: "posts/link/.." is
		// not "posts"); a named file may be a link to a post elsewhere.
		dir := o.in.Path[:max(0, strings.LastIndexByte(o.in.Path, filepath.Separator))]
		if o.in.Root == "" {
			dir = filepath.Dir(realPath(o.in.Path))
		}
		if s.found == nil {
			s.found, s.dirs = map[string]bool{}, map[string]bool{}
		}
		if !s.dirs[dir] {
			s.dirs[dir] = true
			if dir == "" {
				dir = "."
			}
			for d := realPath(dir); !s.found[d]; d = filepath.Dir(d) {
				s.found[d] = true
				if d == filepath.Dir(d) {
					break
				}
			}
		}
	}
	switch {
	case o.err != nil:
		s.Failed++
		return
	case o.changed:
		s.Changed++
	default:
		s.Unchanged++
	}
	if o.res.Templates {
		s.Templates++
		s.TemplatePosts = append(s.TemplatePosts, o.in.Path)
	}
	s.BytesIn += int64(o.sizeIn)
	s.BytesOut += int64(o.sizeOut)
	for i, n := range o.res.Hits {
		s.Hits[i] += n
	}
}

// Summary is the one-line summary of a run. changed names what happened
// to changed posts ("changed", "would change").
func (s *Stats) Summary(changed string) string {
	files := "files"
	if s.Files == 1 {
		files = "file"
	}
	return fmt.Sprintf("%d %s scanned: %d %s, %d unchanged, %d failed", s.Files, files, s.Changed, changed, s.Unchanged, s.Failed)
}

// WriteRuleHits prints each rule's hit count, one rule a line in rule order,
// then the bytes before and after.
func (s *Stats) WriteRuleHits(w io.Writer) {
	width := len("bytes")
	for _, r := range s.Rules.Rules() {
		width = max(width, len(r.Name))
	}
	for i, r := range s.Rules.Rules() {
		fmt.Fprintf(w, "%-*s %8d\n", width, r.Name, s.Hits[i])
	}
	fmt.Fprintf(w, "%-*s %8d -> %d\n", width, "bytes", s.BytesIn, s.BytesOut)
	fmt.Fprintf(w, "%-*s %8d (posts with {{, {%% or {# that Hexo would run)\n", width, "templates", s.Templates)
	slices.Sort(s.TemplatePosts)
	for _, p := range s.TemplatePosts {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

// WriteStatsJSON writes what WriteRuleHits does as JSON lines: one object
// per rule (rule, hits), then one for the run (bytes_in, bytes_out, and the
// posts with template syntax).
func (s *Stats) WriteStatsJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, r := range s.Rules.Rules() {
		if err := enc.Encode(struct {
			Rule string `json:"rule"`
			Hits int    `json:"hits"`
		}{r.Name, s.Hits[i]}); err != nil {
			return err
		}
	}
	slices.Sort(s.TemplatePosts)
	return enc.Encode(struct {
		BytesIn   int64    `json:"bytes_in"`
		BytesOut  int64    `json:"bytes_out"`
		Templates []string `json:"templates"`
	}{s.BytesIn, s.BytesOut, append([]string{}, s.TemplatePosts...)})
}

// ReadSource reads one post to clean: path "-" or "" is stdin, named
// stdinName in messages. The error is a *PathError.
func ReadSource(path string, stdin io.Reader, stdinName string) (name string, src []byte, err error) {
	if path == "" || path == "-" {
		if stdinName == "" {
			stdinName = StdinName
		}
		src, err = io.ReadAll(stdin)
		name = stdinName
	} else {
		name = path
		in := namedInput(path, realPath(path))
		if err = in.Err; err == nil {
			var s source
			s, err = readSource(in.dir, in.name, false)
			src = s.data
			in.Close()
		}
	}
	if err != nil {
		return name, nil, &PathError{Path: name, Err: unwrapPathErr(err)}
	}
	return name, src, nil
}

// unwrapPathErr drops the os package's own path prefix: messages name the
// path once, at the front.
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Empty returns the directory arguments under which the walk found no
// post: a mistyped path, a wrong --ext or an exclusion that takes
// everything, which must not pass as "all clean".
func (s *Stats) Empty(args []string) []string {
	var out []string
	for _, a := range args {
		if a == "-" || s.found[realPath(a)] || s.erred[realPath(a)] || slices.Contains(out, a) {
			continue
		}
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			out = append(out, a)
		}
	}
	return out
}
