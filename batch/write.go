package batch

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// How a post is replaced in place, the way trusted tools do it: the new
// bytes go to a new, uniquely named temp file in the post's directory,
// which is flushed to disk, given the post's mode, owner, group and
// extended attributes, and renamed over the post. No inode is ever reused:
// a post's old inode is freed by the rename (or kept by whoever still has
// it open, unchanged). Just before the rename the post is looked at again;
// if another program has replaced or modified it since it was read, it is
// left alone. The temp file is locked while it lives, so that a concurrent
// run can tell it from one a killed run left behind.

var (
	errReadOnly = errors.New("file is read-only; not rewritten")
	errChanged  = errors.New("changed while cleaning; not rewritten")
)

// hardLinkedError is a post with more than one name: a rename would give
// the cleaned text to one name and leave the old text under the others.
type hardLinkedError struct{ links uint64 }

func (e *hardLinkedError) Error() string {
	return fmt.Sprintf("has %d hard links; not rewritten (replacing it would split them)", e.links)
}

// source is a post file as read for cleaning.
type source struct {
	path string // the file's path, symbolic links resolved: where to write
	data []byte
	id   fileID // what it was when read
}

// readSource reads a regular file (following a symbolic link) with one
// read-only open: an unchanged post is never opened for writing. A file
// named on the command line may be a symbolic link, which is written
// through: its target is the post. (A walk takes no links.)
func readSource(path string, named bool) (source, error) {
	if named {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if path, err = filepath.EvalSymlinks(path); err != nil {
				return source{}, unwrapPathErr(err)
			}
		}
	}
	f, err := openFile(path, os.O_RDONLY, 0)
	if err != nil {
		return source{}, unwrapPathErr(err)
	}
	defer f.close()
	id, err := f.stat()
	if err != nil {
		return source{}, err
	}
	switch {
	case id.mode.IsDir():
		return source{}, errors.New("is a directory")
	case !id.mode.IsRegular():
		return source{}, errNotRegular
	}
	data, err := f.readAll(id.size)
	if err != nil {
		return source{}, err
	}
	return source{path: path, data: data, id: id}, nil
}

// replace puts data in place of the post src, keeping its identity, and
// returns the directory whose entries changed, for the caller to sync once.
func replace(src source, data []byte, flush *groupFlush) (string, error) {
	if src.id.mode&0o222 == 0 {
		return "", errReadOnly
	}
	if src.id.nlink > 1 {
		return "", &hardLinkedError{links: src.id.nlink}
	}
	path := src.path
	tmp, err := createTemp(path, src.id.mode.Perm())
	if err != nil {
		return "", err
	}
	defer tmp.close() // after the rename: the lock covers the temp file's whole life
	if err = fill(tmp, src, data, flush); err == nil {
		err = stillSame(path, src, data)
	}
	if err == nil {
		err = os.Rename(tmp.name, path)
	}
	if err != nil {
		os.Remove(tmp.name)
		if errors.Is(err, errUnchanged) {
			return "", nil
		}
		return "", unwrapPathErr(err)
	}
	return filepath.Dir(path), nil
}

// fill writes data to the temp file and gives it the post's identity.
func fill(tmp sysFile, src source, data []byte, flush *groupFlush) error {
	if err := tmp.write(data); err != nil {
		return err
	}
	id, err := tmp.stat()
	if err != nil {
		return err
	}
	chowned := false
	if src.id.uid >= 0 && (id.uid != src.id.uid || id.gid != src.id.gid) {
		if err := tmp.chown(src.id.uid, src.id.gid); err != nil {
			return fmt.Errorf("cannot keep its owner and group (%w); not rewritten", unwrapPathErr(err))
		}
		chowned = true
	}
	if chowned || id.mode.Perm() != src.id.mode.Perm() { // the umask took bits, or chown cleared some
		if err := tmp.chmod(src.id.mode.Perm()); err != nil {
			return err
		}
	}
	if err := copyXattrs(src.path, tmp); err != nil {
		if errors.Is(err, errChanged) {
			return err
		}
		return fmt.Errorf("%w; not rewritten", err)
	}
	return flush.durable(tmp, id.dev)
}

// errUnchanged: the post already holds the bytes to write.
var errUnchanged = errors.New("already written")

// stillSame checks, just before the rename, that path is the file that was
// read. When another program replaced or modified it meanwhile, that
// program wins: the post is left alone. If it now holds exactly the bytes
// to write (another mdclean run got there first), there is nothing to do.
func stillSame(path string, src source, data []byte) error {
	cur, err := statPath(path)
	if err != nil {
		return errChanged // gone or unreadable: do not bring it back
	}
	if sameFile(src.id, cur) {
		return nil
	}
	if now, err := os.ReadFile(path); err == nil && bytes.Equal(now, data) {
		return errUnchanged
	}
	return errChanged
}

// Temp files are named ".NAME.mdclean-PID-RANDOM.tmp": hidden, with an
// ending no walk takes for a post, and naming the process that owns them.
var tempName = regexp.MustCompile(`^\..+\.mdclean-([0-9]+)-[0-9a-f]+\.tmp$`)

var pid = strconv.Itoa(os.Getpid())

// IsTempName reports a file name of a temp file mdclean -w or -o writes.
func IsTempName(name string) bool { return tempName.MatchString(name) }

// createTemp creates a new, locked temp file beside path with the
// permissions perm, less the umask.
func createTemp(path string, perm os.FileMode) (sysFile, error) {
	dir, base := filepath.Split(path)
	prefix := "." + base + ".mdclean-" + pid + "-"
	var err error
	for range 100 {
		var f sysFile
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64()&0xffffffffff, 16)+".tmp")
		f, err = openFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			if _, err = f.lock(); err != nil {
				f.close()
				os.Remove(name)
				break
			}
			return f, nil
		}
		if !errors.Is(err, os.ErrExist) {
			break
		}
	}
	return sysFile{}, fmt.Errorf("creating temp file: %w", unwrapPathErr(err))
}

// abandonedAge is how old a temp file must be before a run removes it
// when its owner's process id is in use again (or belongs to another PID
// namespace): no post takes an hour to write.
const abandonedAge = time.Hour

// removeIfAbandoned removes the temp file at path if no run is writing it:
// nobody holds its lock, and its owner process is gone or it is old. A live
// run's temp files are never touched.
func removeIfAbandoned(path, name string) {
	m := tempName.FindStringSubmatch(name)
	pid, err := strconv.Atoi(m[1])
	if err != nil {
		return
	}
	f, err := openFile(path, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return
	}
	defer f.close()
	if locked, err := f.lock(); !locked || err != nil {
		return // a live run is writing it
	}
	id, err := f.stat()
	if err != nil || !id.mode.IsRegular() {
		return
	}
	if pid != os.Getpid() && processGone(pid) || time.Since(id.mtime) > abandonedAge {
		os.Remove(path)
	}
}

// groupFlush makes temp files durable before they are renamed into place.
// Alone, each temp file is fsynced. A run shares one groupFlush among its
// writers: a writer that needs a flush waits for a syncfs that starts after
// its write, and one syncfs covers every writer waiting on that file system,
// so a tree costs a few hundred flushes instead of one per post.
type groupFlush struct {
	mu    sync.Mutex
	cond  *sync.Cond
	state map[uint64]*flushState // per file system
}

type flushState struct {
	started, done uint64 // generations of syncfs calls
	running       bool
	err           error
}

func newGroupFlush() *groupFlush {
	g := &groupFlush{state: map[uint64]*flushState{}}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// durable returns once f's data and size are on disk.
func (g *groupFlush) durable(f sysFile, dev uint64) error {
	if g == nil || !canSyncFS {
		return wrapSync(f.sync())
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.state[dev]
	if st == nil {
		st = &flushState{}
		g.state[dev] = st
	}
	need := st.started + 1 // a flush that starts after our write
	for st.done < need {
		if st.running {
			g.cond.Wait()
			continue
		}
		st.running = true
		st.started++
		gen := st.started
		g.mu.Unlock()
		err := f.syncFS()
		g.mu.Lock()
		st.running, st.done, st.err = false, gen, err
		g.cond.Broadcast()
	}
	return wrapSync(st.err)
}

func wrapSync(err error) error {
	if err != nil {
		return fmt.Errorf("syncing temp file: %w", err)
	}
	return nil
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err // EINVAL: the file system cannot sync a directory
	}
	return nil
}

// mirror writes data to path, creating its directories, unless path already
// holds exactly data (so that its mtime stays). It never replaces anything
// but a regular file, and returns the directory to sync.
func mirror(path string, data []byte, flush *groupFlush) (string, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return "", nil
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return "", errNotRegular
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", unwrapPathErr(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", unwrapPathErr(err)
	}
	f, err := createTemp(path, 0o644)
	if err != nil {
		return "", err
	}
	defer f.close()
	err = f.write(data)
	if err == nil {
		var id fileID
		if id, err = f.stat(); err == nil {
			err = flush.durable(f, id.dev)
		}
	}
	if err == nil {
		err = os.Rename(f.name, path)
	}
	if err != nil {
		os.Remove(f.name)
		return "", unwrapPathErr(err)
	}
	return filepath.Dir(path), nil
}
