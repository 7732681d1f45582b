package batch

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// umask is the process's file mode creation mask, read once.
var umask = sync.OnceValue(func() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
})

// sysFile is a file descriptor used with plain system calls: a regular file
// gains nothing from Go's poller, whose registration costs several extra
// calls per file, and a tree has thousands.
type sysFile struct {
	fd   int
	name string
}

func openFile(name string, flag int, perm os.FileMode) (sysFile, error) {
	for {
		fd, err := syscall.Open(name, flag|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return sysFile{fd: -1}, err
		}
		return sysFile{fd: fd, name: name}, nil
	}
}

// fileID is what a post was when it was read: enough to tell that another
// program replaced or modified it since (inode, size, times), and the
// identity a rewritten post must keep (mode, owner, group).
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime time.Time
	mode         os.FileMode // type bits (dir, regular or other) and permissions
	nlink        uint64
	uid, gid     int
}

func fromStat(st *syscall.Stat_t) fileID {
	mode := os.FileMode(st.Mode & 0o777)
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		mode |= os.ModeDir
	default:
		mode |= os.ModeIrregular
	}
	return fileID{
		dev: uint64(st.Dev), ino: uint64(st.Ino), size: st.Size,
		mtime: time.Unix(int64(st.Mtim.Sec), int64(st.Mtim.Nsec)),
		ctime: time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)),
		mode:  mode, nlink: uint64(st.Nlink), uid: int(st.Uid), gid: int(st.Gid),
	}
}

// sameFile reports whether b is still the file a was: same inode, same
// size, no modification and no change of status (mode, owner, links).
func sameFile(a, b fileID) bool {
	return a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.mtime.Equal(b.mtime) && a.ctime.Equal(b.ctime)
}

func (f sysFile) stat() (fileID, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(f.fd, &st); err != nil {
		return fileID{}, err
	}
	return fromStat(&st), nil
}

// statPath stats path, following symbolic links.
func statPath(path string) (fileID, error) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return fileID{}, err
	}
	return fromStat(&st), nil
}

// readAll reads to the end, sized by hint.
func (f sysFile) readAll(hint int64) ([]byte, error) {
	data := make([]byte, 0, hint+1) // +1: room to see the end at once
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew while we read it
		}
		n, err := syscall.Read(f.fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return data, nil
		}
		data = data[:len(data)+n]
	}
}

func (f sysFile) write(data []byte) error {
	for len(data) > 0 {
		n, err := syscall.Write(f.fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func (f sysFile) chmod(perm os.FileMode) error { return syscall.Fchmod(f.fd, uint32(perm.Perm())) }
func (f sysFile) chown(uid, gid int) error     { return syscall.Fchown(f.fd, uid, gid) }
func (f sysFile) sync() error                  { return syscall.Fsync(f.fd) }
func (f sysFile) close() error                 { return syscall.Close(f.fd) }

// lock takes an exclusive advisory lock on the file, without waiting: a
// run holds it on each temp file it is writing, so that another run can
// tell a live temp file from an abandoned one. It reports whether the lock
// was taken.
func (f sysFile) lock() (bool, error) {
	for {
		err := syscall.Flock(f.fd, syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EWOULDBLOCK:
			return false, nil
		}
		return err == nil, err
	}
}

// processGone reports whether no process with this pid exists here.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// syncFS flushes the whole file system f is on: one call that makes every
// temp file written before it durable (see groupFlush).
func (f sysFile) syncFS() error { return unix.Syncfs(f.fd) }

const canSyncFS = true

// oNoFollow keeps an open from following a symbolic link put in a temp
// file's place.
const oNoFollow = syscall.O_NOFOLLOW

// copyXattrs gives dst every extended attribute of src: user.* attributes,
// POSIX ACLs (system.posix_acl_*) and security labels (security.*), so that
// a rewritten post keeps them. The common post has none: one call.
func copyXattrs(src string, dst sysFile) error {
	size, err := unix.Listxattr(src, nil)
	switch {
	case errors.Is(err, unix.ENOTSUP):
		return nil // the file system has no extended attributes
	case errors.Is(err, unix.ENOENT):
		return errChanged // the post is gone
	case err != nil || size == 0:
		return err
	}
	names := make([]byte, size)
	if size, err = unix.Listxattr(src, names); err != nil {
		return err
	}
	for _, name := range strings.Split(strings.TrimRight(string(names[:size]), "\x00"), "\x00") {
		n, err := unix.Getxattr(src, name, nil)
		if err != nil {
			return fmt.Errorf("reading extended attribute %s: %w", name, err)
		}
		val := make([]byte, n)
		if n, err = unix.Getxattr(src, name, val); err != nil {
			return fmt.Errorf("reading extended attribute %s: %w", name, err)
		}
		if err := unix.Fsetxattr(dst.fd, name, val[:n], 0); err != nil {
			return fmt.Errorf("keeping extended attribute %s: %w", name, err)
		}
	}
	return nil
}
