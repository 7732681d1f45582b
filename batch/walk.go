package batch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gitignore "github.com/sabhiram/go-gitignore"
)

// IgnoreFile names the file of gitignore patterns that directory walks skip.
const IgnoreFile = ".mdcleanignore"

// Input is one post to clean: a path found by Walk.
type Input struct {
	Path string // as given or found; "-" is standard input
	Root string // the directory argument it was found under, "" for a named file
	Err  error  // a problem finding it (the walk goes on)
}

// WalkOptions say which files a directory walk takes.
type WalkOptions struct {
	Exts []string // file name endings, e.g. ".md"; empty means .md and .markdown
	// RemoveStale removes temp files that a killed mdclean left behind
	// (never those of a live run).
	RemoveStale bool
	// Keep, when set, is asked about every file a directory walk would
	// take, with its absolute path (which the walk has without a system
	// call, and which a filter relative to some other directory needs);
	// false skips the file. Nil keeps all. Files named as arguments are
	// not asked: they are always taken.
	Keep func(abs string) bool
}

// DefaultExts are the endings a directory walk takes by default.
var DefaultExts = []string{".md", ".markdown"}

// Walk calls fn for every post named by args, in argument order and, inside
// a directory, in lexical order, until fn returns false. A named file is
// always taken, whatever its name; a directory is walked recursively for
// files with the wanted endings, skipping hidden directories, node_modules
// and paths matched by a .mdcleanignore file (in the working directory or
// in any directory walked). Symbolic links inside directories are not
// followed. A file reached twice (overlapping arguments, a link named as
// an argument) is taken once, the first time. An ignore file that exists
// but cannot be read is an error, and the directories it governs are not
// walked: mdclean never cleans what the user may have asked it to skip.
func Walk(args []string, opts WalkOptions, fn func(Input) bool) {
	w := walker{opts: opts, fn: fn}
	if len(w.opts.Exts) == 0 {
		w.opts.Exts = DefaultExts
	}
	if len(args) > 1 {
		w.seen = map[string]bool{}
	}
	cwdIgnore, cwdErr := loadIgnore(IgnoreFile)
	if cwdIgnore != nil {
		if cwd, err := os.Getwd(); err == nil {
			w.cwdIgnore = &ignoreAt{dir: cwd, gi: cwdIgnore}
		}
	}
	for _, arg := range args {
		if arg == "-" {
			if !fn(Input{Path: arg}) {
				return
			}
			continue
		}
		fi, err := os.Stat(arg)
		switch {
		case err != nil:
			w.stopped = !fn(Input{Path: arg, Err: unwrapPathErr(err)})
		case !fi.IsDir():
			if w.firstTime(realPath(arg)) {
				w.stopped = !fn(Input{Path: arg})
			}
		case cwdErr != nil:
			w.stopped = !fn(Input{Path: IgnoreFile, Root: arg, Err: ignoreError(cwdErr, arg)})
		default:
			w.walkDir(arg)
		}
		if w.stopped {
			return
		}
	}
}

type walker struct {
	opts      WalkOptions
	fn        func(Input) bool
	cwdIgnore *ignoreAt
	seen      map[string]bool // real paths taken, when several arguments may overlap
	stopped   bool
}

// firstTime reports whether the file at the real path real is met for the
// first time, and notes it.
func (w *walker) firstTime(real string) bool {
	if w.seen == nil {
		return true
	}
	if w.seen[real] {
		return false
	}
	w.seen[real] = true
	return true
}

// realPath is path made absolute with every symbolic link resolved, or
// path itself when that fails (the read will say why).
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		if abs, err := filepath.Abs(r); err == nil {
			return abs
		}
	}
	return path
}

type ignoreAt struct {
	dir string // the directory the patterns are relative to
	gi  *gitignore.GitIgnore
}

// loadIgnore reads an ignore file; nil and no error when there is none.
func loadIgnore(path string) (*gitignore.GitIgnore, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil && !fi.Mode().IsRegular() {
		err = errNotRegular // a FIFO would hang the walk
	}
	var data []byte
	if err == nil {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	return gitignore.CompileIgnoreLines(strings.Split(string(data), "\n")...), nil
}

// ignoreError says that an ignore file could not be read and what was
// therefore not walked.
func ignoreError(err error, dir string) error {
	return fmt.Errorf("cannot read this ignore file (%w); %s not walked", err, dir)
}

func (w *walker) walkDir(root string) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		w.stopped = !w.fn(Input{Path: root, Root: root, Err: err})
		return
	}
	realRoot := realPath(absRoot)
	// abs and real turn a path found under root into an absolute one, and
	// one with links resolved, without a system call per file. WalkDir
	// gives root as written but joins (and so cleans) the paths below it:
	// "./posts" yields "posts/a.md".
	cleanRoot := filepath.Clean(root)
	under := func(base, path string) string {
		switch {
		case path == root:
			return base
		case cleanRoot == ".":
			return filepath.Join(base, path) // ".x.md" must keep its dot
		}
		return filepath.Join(base, strings.TrimPrefix(path, cleanRoot))
	}
	var ignores []ignoreAt
	if w.cwdIgnore != nil {
		ignores = append(ignores, *w.cwdIgnore)
	}
	ignored := func(path string, dir bool) bool {
		for _, ig := range ignores {
			rel, err := filepath.Rel(ig.dir, under(absRoot, path))
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			rel = filepath.ToSlash(rel)
			if dir {
				rel += "/"
			}
			if ig.gi.MatchesPath(rel) {
				return true
			}
		}
		return false
	}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			w.stopped = !w.fn(Input{Path: path, Root: root, Err: unwrapPathErr(err)})
			if d != nil && d.IsDir() && path != root {
				return w.skip(filepath.SkipDir)
			}
			return w.skip(nil)
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || ignored(path, true)) {
				return filepath.SkipDir
			}
			// Patterns apply below their directory, as in .gitignore; a
			// sibling directory must not inherit them.
			ignores = trimIgnores(ignores, under(absRoot, path))
			gi, err := loadIgnore(filepath.Join(path, IgnoreFile))
			if err != nil {
				w.stopped = !w.fn(Input{Path: filepath.Join(path, IgnoreFile), Root: root, Err: ignoreError(err, path)})
				return w.skip(filepath.SkipDir)
			}
			if gi != nil {
				ignores = append(ignores, ignoreAt{dir: under(absRoot, path), gi: gi})
			}
			return nil
		}
		if IsTempName(name) {
			if w.opts.RemoveStale && d.Type().IsRegular() {
				removeIfAbandoned(path, name)
			}
			return nil
		}
		if !d.Type().IsRegular() || !hasExt(name, w.opts.Exts) || ignored(path, false) {
			return nil // symlinks, devices, other files
		}
		if w.opts.Keep != nil && !w.opts.Keep(under(absRoot, path)) {
			return nil
		}
		if w.firstTime(under(realRoot, path)) {
			w.stopped = !w.fn(Input{Path: path, Root: root})
		}
		return w.skip(nil)
	})
}

// skip is what a WalkDir callback returns: err, or SkipAll once fn has
// asked to stop.
func (w *walker) skip(err error) error {
	if w.stopped {
		return filepath.SkipAll
	}
	return err
}

// trimIgnores keeps the ignore files that govern the absolute directory dir:
// those of dir's ancestors, the working directory's among them.
func trimIgnores(ignores []ignoreAt, dir string) []ignoreAt {
	out := ignores[:0:0]
	for _, ig := range ignores {
		if within(dir, ig.dir) {
			out = append(out, ig)
		}
	}
	return out
}

// within reports whether the absolute path p is dir or lies below it.
func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

func hasExt(name string, exts []string) bool {
	for _, e := range exts {
		if strings.HasSuffix(name, e) && len(name) > len(e) {
			return true
		}
	}
	return false
}

// overlaps reports whether a and b, resolved to real absolute paths (the
// part of a path that does not exist yet is taken as written), are the same
// or one lies below the other.
func overlaps(a, b string) bool {
	ra, rb := resolveExisting(a), resolveExisting(b)
	return within(ra, rb) || within(rb, ra)
}

// resolveExisting resolves the longest existing prefix of path's absolute
// form through its symbolic links and appends the rest: an -o folder that
// does not exist yet may still lie, through a link, inside an input.
func resolveExisting(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(p) == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}
