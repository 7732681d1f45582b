package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxRuleFileSize bounds a rule file: a hand-written one is a few KB and
// one that suggest learns for a repository of many authors a few MB (about
// 1.8 KB a group), and a file named by a config in a cloned repository
// must not make a hook read without end (/dev/zero) or hold gigabytes.
const MaxRuleFileSize = 8 << 20

// ReadRuleFile reads a rule file the user named on the command line: any
// regular file up to MaxRuleFileSize. A FIFO, device or directory is refused
// before it is read, so it can neither hang the run nor feed it forever.
// Errors read "PATH: reason".
func ReadRuleFile(path string) ([]byte, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// ReadRules reads the config's rule file i (an index into c.Rules). A
// content repository is untrusted input, so the file must be inside the
// config file's directory tree once symbolic links are resolved, besides
// being a regular file under the size limit. Every error is a one-line
// FILE:LINE:COL message at the config entry; a file outside the tree is
// refused before it is opened, so nothing of it can be echoed.
func (c *Config) ReadRules(i int) ([]byte, error) {
	path := c.Rules[i]
	if err := c.contains(path); err != nil {
		return nil, c.Errorf("rules", i, "rules: %s: %v", path, err)
	}
	data, err := readRegular(path)
	if err != nil {
		return nil, c.Errorf("rules", i, "rules: %s: %v", path, err)
	}
	return data, nil
}

var errOutside = errors.New("outside the config file's directory; refused")

// contains checks that path lies in c's directory tree, first as written
// and then with symbolic links resolved.
func (c *Config) contains(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if !within(c.absDir, abs) {
		return errOutside
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return unwrapPath(err)
	}
	if !within(c.realDir, resolved) {
		return errOutside
	}
	return nil
}

func within(dir, path string) bool {
	_, ok := relBelow(dir, path)
	return ok
}

// relBelow returns path relative to dir, and whether path is dir or lies
// below it.
func relBelow(dir, path string) (string, bool) {
	rel, err := filepath.Rel(dir, path)
	ok := err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
	return rel, ok
}

// readRegular reads path if it is a regular file of at most
// MaxRuleFileSize bytes. It checks with Stat before opening (opening a FIFO
// blocks) and again on the open file, so that what is read is what was
// checked.
func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	fi2, err := f.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !os.SameFile(fi, fi2) {
		return nil, errors.New("changed while being opened")
	}
	if err := regular(fi2); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxRuleFileSize+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if len(data) > MaxRuleFileSize {
		return nil, errTooBig
	}
	return data, nil
}

var errTooBig = fmt.Errorf("larger than %d bytes; not a rule file", MaxRuleFileSize)

func regular(fi os.FileInfo) error {
	switch {
	case fi.IsDir():
		return errors.New("is a directory")
	case !fi.Mode().IsRegular():
		return errors.New("not a regular file")
	case fi.Size() > MaxRuleFileSize:
		return errTooBig
	}
	return nil
}

// unwrapPath drops the *os.PathError wrapping, whose path the caller
// already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
