//go:build !linux

package batch

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Elsewhere than Linux the file layer goes by path with the os package: a
// directory swapped for a link during a run is not caught, no syncfs, no
// extended attributes copied, no advisory locks (a temp file is judged
// abandoned by its age alone), owner and group kept where os.Chown can.

type sysFile struct {
	f    *os.File
	name string
}

type dirFD struct{ path string }

var errNotDir = errors.New("not a directory")

func openPath(path string) (sysFile, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return sysFile{}, errNotRegular
	}
	f, err := os.Open(path)
	if err != nil {
		return sysFile{}, unwrapPathErr(err)
	}
	return sysFile{f: f, name: path}, nil
}

func openDirPath(path string) (dirFD, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return dirFD{}, unwrapPathErr(err)
	}
	if !fi.IsDir() {
		return dirFD{}, errNotDir
	}
	return dirFD{path}, nil
}

func (d dirFD) openDir(name string) (dirFD, error) {
	fi, err := os.Lstat(filepath.Join(d.path, name))
	if err != nil {
		return dirFD{}, unwrapPathErr(err)
	}
	if !fi.IsDir() {
		return dirFD{}, errNotDir
	}
	return dirFD{filepath.Join(d.path, name)}, nil
}

func (d dirFD) openFollow(name string) (sysFile, error) { return openPath(filepath.Join(d.path, name)) }

func (d dirFD) mkdir(name string) error {
	return unwrapPathErr(os.Mkdir(filepath.Join(d.path, name), 0o777))
}

func (d dirFD) open(name string, flag int, perm uint32) (sysFile, error) {
	p := filepath.Join(d.path, name)
	if fi, err := os.Lstat(p); err == nil && !fi.Mode().IsRegular() {
		return sysFile{}, errNotRegular
	}
	f, err := os.OpenFile(p, flag, os.FileMode(perm))
	if err != nil {
		return sysFile{}, unwrapPathErr(err)
	}
	return sysFile{f: f, name: name}, nil
}

func (d dirFD) stat(name string) (fileID, error) {
	fi, err := os.Lstat(filepath.Join(d.path, name))
	if err != nil {
		return fileID{}, unwrapPathErr(err)
	}
	return fromInfo(fi), nil
}

func (d dirFD) key() string {
	abs, _ := filepath.Abs(d.path)
	return abs
}

func (d dirFD) rename(from, to string) error {
	return unwrapPathErr(os.Rename(filepath.Join(d.path, from), filepath.Join(d.path, to)))
}
func (d dirFD) remove(name string) error { return os.Remove(filepath.Join(d.path, name)) }
func (d dirFD) sync() error {
	f, err := os.Open(d.path)
	if err != nil {
		return err
	}
	defer f.Close()
	f.Sync() // not every system can sync a directory
	return nil
}
func (d dirFD) close() error { return nil }

func (d dirFD) list() ([]os.DirEntry, error) {
	entries, err := os.ReadDir(d.path)
	slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, unwrapPathErr(err)
}

type fileID struct {
	dev, ino     uint64 // unknown here: zero
	size         int64
	mtime, ctime time.Time
	mode         os.FileMode
	perm         uint32
	nlink        uint64
	uid, gid     int
	fi           os.FileInfo
}

func fromInfo(fi os.FileInfo) fileID {
	mode := fi.Mode().Perm()
	if fi.IsDir() {
		mode |= os.ModeDir
	} else if !fi.Mode().IsRegular() {
		mode |= os.ModeIrregular
	}
	return fileID{size: fi.Size(), mtime: fi.ModTime(), ctime: fi.ModTime(), mode: mode,
		perm: uint32(fi.Mode().Perm()), nlink: 1, uid: -1, gid: -1, fi: fi}
}

func sameFile(a, b fileID) bool {
	return os.SameFile(a.fi, b.fi) && a.size == b.size && a.mtime.Equal(b.mtime)
}

func (f sysFile) stat() (fileID, error) {
	fi, err := f.f.Stat()
	if err != nil {
		return fileID{}, err
	}
	return fromInfo(fi), nil
}

func (f sysFile) readAll(int64) ([]byte, error) { return io.ReadAll(f.f) }
func (f sysFile) write(data []byte) error {
	_, err := f.f.Write(data)
	return err
}
func (f sysFile) chmod(perm uint32) error   { return f.f.Chmod(os.FileMode(perm)) }
func (f sysFile) chown(uid, gid int) error  { return f.f.Chown(uid, gid) }
func (f sysFile) sync() error               { return f.f.Sync() }
func (f sysFile) close() error              { return f.f.Close() }
func (f sysFile) lock() (bool, error)       { return true, nil }
func (f sysFile) syncFS() error             { return f.sync() }
func (f sysFile) xattrs() ([]xattr, error)  { return nil, nil }
func (f sysFile) setXattrs(a []xattr) error { return nil }

type xattr struct {
	name  string
	value []byte
}

const canSyncFS = false

// processGone cannot be told here: a temp file is judged by its age.
func processGone(pid int) bool { return false }
