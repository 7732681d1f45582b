package clean

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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
	// RemoveStale removes temp files that a killed mdclean -w left behind.
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
// a directory, in lexical order. A named file is always taken, whatever its
// name; a directory is walked recursively for files with the wanted endings,
// skipping hidden directories, node_modules and paths matched by a
// .mdcleanignore file (in the working directory or in any directory walked).
// Symbolic links inside directories are not followed.
func Walk(args []string, opts WalkOptions, fn func(Input)) {
	exts := opts.Exts
	if len(exts) == 0 {
		exts = DefaultExts
	}
	var cwdIgnore *ignoreAt
	if gi := loadIgnore(IgnoreFile); gi != nil {
		if cwd, err := os.Getwd(); err == nil {
			cwdIgnore = &ignoreAt{dir: cwd, gi: gi}
		}
	}
	for _, arg := range args {
		if arg == "-" {
			fn(Input{Path: arg})
			continue
		}
		fi, err := os.Stat(arg)
		if err != nil {
			fn(Input{Path: arg, Err: unwrapPathErr(err)})
			continue
		}
		if !fi.IsDir() {
			fn(Input{Path: arg})
			continue
		}
		walkDir(arg, exts, cwdIgnore, opts, fn)
	}
}

type ignoreAt struct {
	dir string // the directory the patterns are relative to
	gi  *gitignore.GitIgnore
}

func loadIgnore(path string) *gitignore.GitIgnore {
	gi, err := gitignore.CompileIgnoreFile(path)
	if err != nil {
		return nil
	}
	return gi
}

func walkDir(root string, exts []string, cwdIgnore *ignoreAt, opts WalkOptions, fn func(Input)) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		fn(Input{Path: root, Root: root, Err: err})
		return
	}
	// abs turns a path found under root into an absolute one without a
	// system call per file. WalkDir gives root as written but joins (and
	// so cleans) the paths below it: "./posts" yields "posts/a.md".
	cleanRoot := filepath.Clean(root)
	abs := func(path string) string {
		switch {
		case path == root:
			return absRoot
		case cleanRoot == ".":
			return filepath.Join(absRoot, path) // ".x.md" must keep its dot
		}
		return filepath.Join(absRoot, strings.TrimPrefix(path, cleanRoot))
	}
	var ignores []ignoreAt
	if cwdIgnore != nil {
		ignores = append(ignores, *cwdIgnore)
	}
	ignored := func(path string, dir bool) bool {
		for _, ig := range ignores {
			rel, err := filepath.Rel(ig.dir, abs(path))
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
			fn(Input{Path: path, Root: root, Err: unwrapPathErr(err)})
			if d != nil && d.IsDir() && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "node_modules" || ignored(path, true)) {
				return filepath.SkipDir
			}
			// Patterns apply below their directory, as in .gitignore; a
			// sibling directory must not inherit them.
			ignores = trimIgnores(ignores, abs(path))
			if gi := loadIgnore(filepath.Join(path, IgnoreFile)); gi != nil {
				ignores = append(ignores, ignoreAt{dir: abs(path), gi: gi})
			}
			return nil
		}
		if IsTempName(name) {
			if opts.RemoveStale {
				_ = os.Remove(path)
			}
			return nil
		}
		if !d.Type().IsRegular() || !hasExt(name, exts) || ignored(path, false) {
			return nil // symlinks, devices, other files
		}
		if opts.Keep != nil && !opts.Keep(abs(path)) {
			return nil
		}
		fn(Input{Path: path, Root: root})
		return nil
	})
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

// isWithin reports whether path is dir or lies below it, comparing cleaned
// absolute paths.
func isWithin(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	return within(p, d)
}

// Temp files are named ".NAME.mdclean-RANDOM.tmp": hidden, and with an
// ending no walk takes for a post.
var tempName = regexp.MustCompile(`^\..+\.mdclean-[0-9]+\.tmp$`)

// IsTempName reports a file name of a temp file mdclean -w writes.
func IsTempName(name string) bool { return tempName.MatchString(name) }
