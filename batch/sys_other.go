//go:build !linux

package batch

import (
	"io"
	"os"
	"time"
)

// Elsewhere than Linux the file layer uses the os package: no syncfs, no
// extended attributes copied, no advisory locks (a temp file is judged
// abandoned by its owner process and age alone), owner and group kept only
// where os.Chown can.

func umask() os.FileMode { return 0o777 } // unknown: always chmod after create

type sysFile struct {
	f    *os.File
	name string
}

func openFile(name string, flag int, perm os.FileMode) (sysFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return sysFile{}, unwrapPathErr(err)
	}
	return sysFile{f: f, name: name}, nil
}

type fileID struct {
	dev          uint64 // unknown here: one flush group
	size         int64
	mtime, ctime time.Time
	mode         os.FileMode
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
	return fileID{size: fi.Size(), mtime: fi.ModTime(), ctime: fi.ModTime(), mode: mode, nlink: 1, uid: -1, gid: -1, fi: fi}
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

func statPath(path string) (fileID, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileID{}, unwrapPathErr(err)
	}
	return fromInfo(fi), nil
}

func (f sysFile) readAll(int64) ([]byte, error) { return io.ReadAll(f.f) }
func (f sysFile) write(data []byte) error {
	_, err := f.f.Write(data)
	return err
}
func (f sysFile) chmod(perm os.FileMode) error { return f.f.Chmod(perm) }
func (f sysFile) chown(uid, gid int) error     { return f.f.Chown(uid, gid) }
func (f sysFile) sync() error                  { return f.f.Sync() }
func (f sysFile) close() error                 { return f.f.Close() }
func (f sysFile) lock() (bool, error)          { return true, nil }
func (f sysFile) syncFS() error                { return f.sync() }

const canSyncFS = false

const oNoFollow = 0 // the walk only passes regular files

func processGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	p.Release()
	return false
}

func copyXattrs(src string, dst sysFile) error { return nil }
