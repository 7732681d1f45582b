package batch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// IgnoreFile names the file of gitignore patterns that directory walks skip.
const IgnoreFile = ".mdcleanignore"

// Input is one post to clean: a path found by Walk.
type Input struct {
	Path string // as given or found; "-" is standard input
	Root string // the directory argument it was found under, "" for a named file
	Rel  string // its path below Root, for mirroring
	Err  error  // a problem finding it (the walk goes on)
	dir  *dir   // the open directory it is in
	name string // its name there
}

// Close lets go of the directory the input holds open. Every Input that
// Walk passes must be closed.
func (in Input) Close() { in.dir.release() }

// WalkOptions say which files a directory walk takes.
type WalkOptions struct {
	Exts []string // file name endings, e.g. ".md"; empty means .md and .markdown
	// Keep, when set, is asked about every file a directory walk would
	// take, with its absolute path, links resolved (which the walk has
	// without a system call per file, and which a filter relative to some
	// other directory needs);
	// false skips the file. Nil keeps all. Files named as arguments are
	// not asked: they are always taken.
	Keep func(abs string) bool
	// ForceExclude applies the walk's exclusions to files named as
	// arguments too: the config's, the ignore files' from the working
	// directory down to the file, and hidden and node_modules directories.
	// A pre-commit hook is handed every staged post by name.
	ForceExclude bool
	// NoIgnoreVCS walks what .gitignore files ignore, too. By default a
	// walk skips it, as Git does: the .gitignore files of the directories
	// walked and of those above them up to the repository's root.
	NoIgnoreVCS bool
	// sweep, when set, removes temp files killed runs left in the
	// directories walked.
	sweep *sweeper
}

// DefaultExts are the endings a directory walk takes by default.
var DefaultExts = []string{".md", ".markdown"}

// Walk calls fn for every post named by args, in argument order and, inside
// a directory, in lexical order, until fn returns false. A named file is
// always taken, whatever its name; a directory (also one named through a
// symbolic link) is walked recursively for files with the wanted endings,
// skipping hidden directories, node_modules and paths matched by a
// .mdcleanignore file (in the working directory or in any directory
// walked). Symbolic links inside directories are not followed, not even
// one swapped in during the run: the walk goes from open directory to open
// directory, and posts are read and written through them. A file reached
// twice (overlapping arguments, a link named as an argument) is taken
// once, the first time. An ignore file that exists but cannot be read is
// an error, and the directories it governs are not walked: mdclean never
// cleans what the user may have asked it to skip.
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
			w.cwdIgnore = &ignoreAt{dir: realPath(cwd), gi: cwdIgnore}
		}
	}
	for _, arg := range args {
		if arg == "-" {
			w.emit(Input{Path: arg})
		} else if fi, err := os.Stat(arg); err != nil {
			w.emit(Input{Path: arg, Err: unwrapPathErr(err)})
		} else if !fi.IsDir() {
			w.named(arg)
		} else if cwdErr != nil {
			w.emit(Input{Path: IgnoreFile, Root: arg, Err: ignoreError(cwdErr, arg)})
		} else {
			w.walkRoot(arg)
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

func (w *walker) emit(in Input) {
	if w.stopped {
		in.Close()
		return
	}
	w.stopped = !w.fn(in)
}

// named takes a file named as an argument, once.
func (w *walker) named(arg string) {
	real := realPath(arg)
	if !w.firstTime(real) {
		return
	}
	if w.opts.ForceExclude {
		excluded, err := w.excluded(real)
		if err != nil {
			var pe *PathError // it names the ignore file
			errors.As(err, &pe)
			w.emit(Input{Path: pe.Path, Err: pe.Err})
			return
		}
		if excluded {
			return
		}
	}
	w.emit(namedInput(arg, real))
}

// excluded reports whether a walk from the working directory would skip
// the file at real: the config excludes it, or a directory on the way is
// hidden or node_modules, or an ignore file ignores the file or a
// directory above it: the working directory's and those on the way down
// to the file, and the .gitignore files from the repository's root down.
// An ignore file that cannot be read is an error, as in a walk.
func (w *walker) excluded(real string) (bool, error) {
	if w.opts.Keep != nil && !w.opts.Keep(real) {
		return true, nil
	}
	var ignores []ignoreAt
	if cwd := realPath("."); real != cwd && within(real, cwd) {
		for d := filepath.Dir(real); ; d = filepath.Dir(d) {
			if d != cwd {
				if name := filepath.Base(d); strings.HasPrefix(name, ".") || name == "node_modules" {
					return true, nil
				}
			}
			gi, err := loadIgnore(filepath.Join(d, IgnoreFile))
			if err != nil {
				return false, &PathError{Path: filepath.Join(d, IgnoreFile), Err: ignoreError(err, d)}
			}
			if gi != nil {
				ignores = append(ignores, ignoreAt{dir: d, gi: gi})
			}
			if d == cwd || d == filepath.Dir(d) {
				break
			}
		}
	}
	if !w.opts.NoIgnoreVCS {
		above, err := gitignoresAbove(real)
		if err != nil {
			return false, err // it names the file
		}
		ignores = append(ignores, above...)
	}
	byDepth(ignores)
	// The file is skipped when a directory on its way or the file itself
	// is ignored, as a walk would meet them.
	for d := filepath.Dir(real); ; d = filepath.Dir(d) {
		if len(ignores) > 0 && within(d, ignores[0].dir) && d != ignores[0].dir && ignoredBy(ignores, d, true) {
			return true, nil
		}
		if len(ignores) == 0 || d == ignores[0].dir || d == filepath.Dir(d) {
			break
		}
	}
	if ignoredBy(ignores, real, false) {
		return true, nil
	}
	return false, nil
}

// namedInput opens the directory of the file named arg, whose real path is
// real: a symbolic link is followed to the post it names, which is read and
// written in its own directory.
func namedInput(arg, real string) Input {
	fd, err := openDirPath(filepath.Dir(real))
	if err != nil {
		return Input{Path: arg, Err: unwrapPathErr(err)}
	}
	return Input{Path: arg, dir: newDir(fd, filepath.Dir(arg)), name: filepath.Base(real)}
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
	gi  *ignoreFile
}

// loadIgnore reads the ignore file at path (the working directory's); nil
// and no error when there is none. One that exists but cannot be read (a link to nothing, a FIFO, a
// directory, no permission) is an error. A link is followed: the user's
// own ignore file may be one.
func loadIgnore(path string) (*ignoreFile, error) {
	return readIgnore(func() (sysFile, error) { return openPath(path) }, func() bool {
		_, err := os.Lstat(path)
		return err == nil
	})
}

// loadIgnoreIn reads the ignore file name of the open directory d,
// through d.
func loadIgnoreIn(d *dir, name string) (*ignoreFile, error) {
	return readIgnore(func() (sysFile, error) { return d.fd.openFollow(name) }, func() bool {
		_, err := d.fd.stat(name)
		return err == nil
	})
}

// readIgnore reads an ignore file with open; exists tells a missing file
// from a link to nothing.
func readIgnore(open func() (sysFile, error), exists func() bool) (*ignoreFile, error) {
	f, err := open()
	if errors.Is(err, fs.ErrNotExist) {
		if !exists() {
			return nil, nil
		}
		err = errors.New("a link to nothing")
	}
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	defer f.close()
	id, err := f.stat()
	if err == nil && !id.mode.IsRegular() {
		err = errNotRegular
	}
	var data []byte
	if err == nil {
		data, err = f.readAll(id.size)
	}
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	return parseIgnore(string(data)), nil
}

// ignoreFile is the patterns of one ignore file, in gitignore syntax,
// matched against paths relative to its directory.
type ignoreFile struct{ patterns []gitignore.Pattern }

func parseIgnore(text string) *ignoreFile {
	f := &ignoreFile{}
	text = strings.TrimPrefix(text, "\uFEFF") // a byte-order mark is not part of the first pattern
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue // only a "#" in the first column starts a comment, as in Git
		}
		// Git negates a bracket expression with "!" as well as "^"; the
		// matcher's globs know only "^".
		line = strings.ReplaceAll(line, "[!", "[^")
		f.patterns = append(f.patterns, gitignore.ParsePattern(line, nil))
	}
	return f
}

// decide reports whether a pattern of the file matches the path rel
// (slash-separated, relative to the file's directory; a directory ends in
// "/"), and if so whether the last such pattern ignores it (a "!" pattern
// takes it back).
func (f *ignoreFile) decide(rel string) (matched, ignored bool) {
	isDir := strings.HasSuffix(rel, "/")
	parts := strings.Split(strings.Trim(rel, "/"), "/")
	for i := len(f.patterns) - 1; i >= 0; i-- {
		switch f.patterns[i].Match(parts, isDir) {
		case gitignore.Exclude:
			return true, true
		case gitignore.Include:
			return true, false
		}
	}
	return false, false
}

// ignoredBy reports whether ignore files, listed from the top down, ignore
// absPath: the deepest file with a pattern for it decides, as in Git, so
// a nested file can take back what one above ignores.
func ignoredBy(ignores []ignoreAt, absPath string, isDir bool) bool {
	for i := len(ignores) - 1; i >= 0; i-- {
		r, err := filepath.Rel(ignores[i].dir, absPath)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			continue
		}
		r = filepath.ToSlash(r)
		if isDir {
			r += "/"
		}
		if matched, ignored := ignores[i].gi.decide(r); matched {
			return ignored
		}
	}
	return false
}

// ignoreError says that an ignore file could not be read and what was
// therefore not walked.
func ignoreError(err error, dir string) error {
	return fmt.Errorf("cannot read this ignore file (%w); %s not walked", err, dir)
}

// join names a path below root as messages show it. A root holding ".."
// is kept as written: cleaning it would name another file.
func join(root, rel string) string {
	if rel == "" {
		return root
	}
	if slices.Contains(strings.Split(filepath.ToSlash(root), "/"), "..") {
		return strings.TrimSuffix(root, string(filepath.Separator)) + string(filepath.Separator) + rel
	}
	return filepath.Join(root, rel)
}

func (w *walker) walkRoot(root string) {
	fd, err := openDirPath(root)
	if err != nil {
		w.emit(Input{Path: root, Root: root, Err: unwrapPathErr(err)})
		return
	}
	d := newDir(fd, root)
	defer d.release()
	// Ignore files and config globs are matched against real paths (links
	// resolved), as the working directory and the config's are: the same
	// tree spelled through a link or not must be filtered alike.
	real := realPath(root)
	var ignores []ignoreAt
	// Patterns apply below their directory, as in .gitignore: the working
	// directory's govern a root inside it. Every ignore file met below is
	// in an ancestor of what it is passed down to.
	if w.cwdIgnore != nil && within(real, w.cwdIgnore.dir) {
		ignores = append(ignores, *w.cwdIgnore)
	}
	if !w.opts.NoIgnoreVCS {
		above, err := gitignoresAbove(real)
		if err != nil {
			var pe *PathError
			errors.As(err, &pe)
			w.emit(Input{Path: pe.Path, Root: root, Err: pe.Err})
			return
		}
		ignores = append(ignores, above...)
	}
	byDepth(ignores)
	w.walkIn(d, root, "", real, ignores)
}

// walkIn walks the open directory d, found at rel below root.
func (w *walker) walkIn(d *dir, root, rel, abs string, ignores []ignoreAt) {
	for _, name := range w.ignoreNames() {
		gi, err := loadIgnoreIn(d, name)
		if err != nil {
			w.emit(Input{Path: join(root, filepath.Join(rel, name)), Root: root, Err: ignoreError(err, join(root, rel))})
			return
		}
		if gi != nil {
			// Directories are walked one after another: a sibling's append
			// may reuse the slot past the parent's patterns, never change
			// them.
			ignores = append(ignores, ignoreAt{dir: abs, gi: gi})
		}
	}
	list, err := d.fd.list()
	if err != nil {
		w.emit(Input{Path: join(root, rel), Root: root, Err: unwrapPathErr(err)})
		return
	}
	ignored := func(absPath string, isDir bool) bool { return ignoredBy(ignores, absPath, isDir) }
	w.opts.sweep.sweep(d, list)
	for _, e := range list {
		if w.stopped {
			return
		}
		name := e.Name()
		relPath := filepath.Join(rel, name)
		absPath := filepath.Join(abs, name)
		switch {
		case e.IsDir():
			if strings.HasPrefix(name, ".") || name == "node_modules" || ignored(absPath, true) {
				continue
			}
			fd, err := d.fd.openDir(name)
			if err != nil {
				w.emit(Input{Path: join(root, relPath), Root: root, Err: unwrapPathErr(err)})
				continue
			}
			sub := newDir(fd, join(root, relPath))
			w.walkIn(sub, root, relPath, absPath, ignores)
			sub.release()
		case !e.Type().IsRegular() || IsTempName(name) || !hasExt(name, w.opts.Exts) || ignored(absPath, false):
			// links, devices, temp files, other files
		case w.opts.Keep != nil && !w.opts.Keep(absPath):
		case w.firstTime(absPath):
			w.emit(Input{Path: join(root, relPath), Root: root, Rel: relPath, dir: d.hold(), name: name})
		}
	}
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
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return realPath(r)
	}
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

// GitIgnoreFile is the ignore file of Git repositories, which directory
// walks honour too unless told not to.
const GitIgnoreFile = ".gitignore"

// ignoreNames are the ignore files a walk reads in each directory.
func (w *walker) ignoreNames() []string {
	if w.opts.NoIgnoreVCS {
		return []string{IgnoreFile}
	}
	return []string{IgnoreFile, GitIgnoreFile}
}

// gitignoresAbove reads the .gitignore files of the directories above
// real, from the root of the Git repository it is in down to its parent;
// none outside a repository.
func gitignoresAbove(real string) ([]ignoreAt, error) {
	var dirs []string
	top := ""
	for d := filepath.Dir(real); ; d = filepath.Dir(d) {
		dirs = append([]string{d}, dirs...)
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			top = d
			break
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	if _, err := os.Lstat(filepath.Join(real, ".git")); err == nil || top == "" {
		return nil, nil // real is the top, or in no repository
	}
	var out []ignoreAt
	for _, d := range dirs {
		file := filepath.Join(d, GitIgnoreFile)
		gi, err := loadIgnore(file)
		if err != nil {
			return nil, &PathError{Path: file, Err: ignoreError(err, d)}
		}
		if gi != nil {
			out = append(out, ignoreAt{dir: d, gi: gi})
		}
	}
	return out, nil
}

// byDepth orders ignore files from the top of the tree down: all are in
// directories above one path, so the shorter path is the higher.
func byDepth(ignores []ignoreAt) {
	slices.SortStableFunc(ignores, func(a, b ignoreAt) int { return len(a.dir) - len(b.dir) })
}
