package batch

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// sysFile is a file descriptor used with plain system calls: a regular file
// gains nothing from Go's poller, whose registration costs several extra
// calls per file, and a tree has thousands.
type sysFile struct {
	fd   int
	name string // its name in its directory
}

// dirFD is an open directory. Posts are found, read and replaced through
// the descriptor of their directory, never by path, so that a directory
// swapped for a symbolic link after the walk saw it cannot send a read or
// a write anywhere else; every name opened below it refuses to follow a
// link.
type dirFD struct{ fd int }

func retry(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}

// openat opens name relative to dir (unix.AT_FDCWD for the working
// directory), close-on-exec, retrying on EINTR.
func openat(dir int, name string, flag int, perm uint32) (int, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = unix.Openat(dir, name, flag|unix.O_CLOEXEC, perm)
		return err
	})
	return fd, err
}

func file(fd int, name string, err error) (sysFile, error) {
	if err != nil {
		return sysFile{fd: -1}, err
	}
	return sysFile{fd: fd, name: name}, nil
}

// openDirPath opens the directory at path, following symbolic links: the
// user named it.
func openDirPath(path string) (dirFD, error) {
	fd, err := openat(unix.AT_FDCWD, path, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	return dirFD{fd}, err
}

// openPath opens the file at path to read, following links, without
// blocking on a FIFO (which the caller then refuses as not regular).
func openPath(path string) (sysFile, error) { return dirFD{unix.AT_FDCWD}.openFollow(path) }

// openDir opens the directory name inside d, never through a link.
func (d dirFD) openDir(name string) (dirFD, error) {
	fd, err := openat(d.fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0)
	return dirFD{fd}, err
}

func (d dirFD) mkdir(name string) error { return unix.Mkdirat(d.fd, name, 0o777) }

// open opens the file name inside d, never through a link; a FIFO does
// not block the open (and is then refused as not a regular file).
func (d dirFD) open(name string, flag int, perm uint32) (sysFile, error) {
	fd, err := openat(d.fd, name, flag|unix.O_NOFOLLOW|unix.O_NONBLOCK, perm)
	return file(fd, name, err)
}

// openFollow opens the file name inside d to read, following a link there
// (from d, wherever d is now), without blocking on a FIFO.
func (d dirFD) openFollow(name string) (sysFile, error) {
	fd, err := openat(d.fd, name, unix.O_RDONLY|unix.O_NONBLOCK, 0)
	return file(fd, name, err)
}

// stat stats the entry name of d itself, not what a link points to.
func (d dirFD) stat(name string) (fileID, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return fileID{}, err
	}
	return fromStat(&st), nil
}

// key names the directory uniquely while it is open; "" if it cannot.
func (d dirFD) key() string {
	var st unix.Stat_t
	if err := unix.Fstat(d.fd, &st); err != nil {
		return ""
	}
	return fmt.Sprint(st.Dev, ":", st.Ino)
}

func (d dirFD) rename(from, to string) error { return unix.Renameat(d.fd, from, d.fd, to) }
func (d dirFD) remove(name string) error     { return unix.Unlinkat(d.fd, name, 0) }
func (d dirFD) sync() error                  { return unix.Fsync(d.fd) }
func (d dirFD) close() error                 { return unix.Close(d.fd) }

// list returns the entries of d sorted by name, with their types as the
// directory gives them (no stat per entry).
func (d dirFD) list() ([]os.DirEntry, error) {
	dup, err := unix.Dup(d.fd)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(dup), ".")
	defer f.Close()
	if _, err := f.Seek(0, 0); err != nil {
		return nil, unwrapPathErr(err)
	}
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// fileID is what a post was when it was read: enough to tell that another
// program replaced or modified it since (inode, size, times), and the
// identity a rewritten post must keep (mode, owner, group).
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime time.Time
	mode         os.FileMode // type bits (dir, regular or other) and permissions
	perm         uint32      // permissions with the set-id and sticky bits
	nlink        uint64
	uid, gid     int
}

func fromStat(st *unix.Stat_t) fileID {
	mode := os.FileMode(st.Mode & 0o777)
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
	case unix.S_IFDIR:
		mode |= os.ModeDir
	default:
		mode |= os.ModeIrregular
	}
	return fileID{
		dev: st.Dev, ino: st.Ino, size: st.Size,
		mtime: time.Unix(st.Mtim.Unix()),
		ctime: time.Unix(st.Ctim.Unix()),
		mode:  mode, perm: st.Mode & 0o7777, nlink: st.Nlink, uid: int(st.Uid), gid: int(st.Gid),
	}
}

// sameFile reports whether b is still the file a was: same inode, same
// size, no modification and no change of status (mode, owner, links).
func sameFile(a, b fileID) bool {
	return a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.mtime.Equal(b.mtime) && a.ctime.Equal(b.ctime)
}

func (f sysFile) stat() (fileID, error) {
	var st unix.Stat_t
	if err := unix.Fstat(f.fd, &st); err != nil {
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
		n, err := unix.Read(f.fd, data[len(data):cap(data)])
		if err == unix.EINTR || err == unix.EAGAIN {
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
		n, err := unix.Write(f.fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

func (f sysFile) chmod(perm uint32) error  { return unix.Fchmod(f.fd, perm) }
func (f sysFile) chown(uid, gid int) error { return unix.Fchown(f.fd, uid, gid) }
func (f sysFile) sync() error              { return unix.Fsync(f.fd) }
func (f sysFile) close() error             { return unix.Close(f.fd) }

// lock takes an exclusive advisory lock on the file, without waiting: a
// run holds it on each temp file it is writing, so that another run can
// tell a live temp file from an abandoned one. It reports whether the lock
// was taken.
func (f sysFile) lock() (bool, error) {
	err := retry(func() error { return unix.Flock(f.fd, unix.LOCK_EX|unix.LOCK_NB) })
	if err == unix.EWOULDBLOCK {
		return false, nil
	}
	return err == nil, err
}

// processGone reports whether no process with this pid exists here.
func processGone(pid int) bool {
	return errors.Is(unix.Kill(pid, 0), unix.ESRCH)
}

// syncFS flushes the whole file system f is on: one call that makes every
// temp file written before it durable (see groupFlush).
func (f sysFile) syncFS() error { return unix.Syncfs(f.fd) }

const canSyncFS = true

// xattr is one extended attribute.
type xattr struct {
	name  string
	value []byte
}

// xattrs reads every extended attribute of f: user.* attributes, POSIX
// ACLs (system.posix_acl_*) and security labels (security.*). The common
// post has none: one call.
func (f sysFile) xattrs() ([]xattr, error) {
	names, err := f.xattrNames()
	if err != nil || len(names) == 0 {
		return nil, err
	}
	out := make([]xattr, 0, len(names))
	for _, name := range names {
		n, err := unix.Fgetxattr(f.fd, name, nil)
		if err != nil {
			return nil, fmt.Errorf("reading extended attribute %s: %w", name, err)
		}
		val := make([]byte, n)
		if n, err = unix.Fgetxattr(f.fd, name, val); err != nil {
			return nil, fmt.Errorf("reading extended attribute %s: %w", name, err)
		}
		out = append(out, xattr{name, val[:n]})
	}
	return out, nil
}

func (f sysFile) xattrNames() ([]string, error) {
	size, err := unix.Flistxattr(f.fd, nil)
	if errors.Is(err, unix.ENOTSUP) || err == nil && size == 0 {
		return nil, nil // none, or a file system without them
	}
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size)
	if size, err = unix.Flistxattr(f.fd, buf); err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(buf[:size]), "\x00"), "\x00"), nil
}

// setXattrs makes f's extended attributes exactly attrs: it sets each, and
// removes what f took from its directory (a default ACL) that the post did
// not have.
func (f sysFile) setXattrs(attrs []xattr) error {
	has, err := f.xattrNames()
	if err != nil {
		return err
	}
	for _, name := range has {
		if !slices.ContainsFunc(attrs, func(a xattr) bool { return a.name == name }) {
			if err := unix.Fremovexattr(f.fd, name); err != nil {
				return fmt.Errorf("removing extended attribute %s inherited from the directory: %w", name, err)
			}
		}
	}
	for _, a := range attrs {
		if err := unix.Fsetxattr(f.fd, a.name, a.value, 0); err != nil {
			return fmt.Errorf("keeping extended attribute %s: %w", a.name, err)
		}
	}
	return nil
}
