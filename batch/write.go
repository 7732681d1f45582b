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
	"strings"
	"sync"
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
// run can tell it from one a killed run left behind. Everything goes
// through the open directory the walk found the post in.

var (
	errReadOnly   = errors.New("file is read-only; not rewritten")
	errChanged    = errors.New("changed while cleaning; not rewritten")
	errNotRegular = errors.New("not a regular file")
)

// hardLinkedError is a post with more than one name: a rename would give
// the cleaned text to one name and leave the old text under the others.
type hardLinkedError struct{ links uint64 }

func (e *hardLinkedError) Error() string {
	return fmt.Sprintf("has %d hard links; not rewritten (replacing it would split them)", e.links)
}

// source is a post file as read for cleaning.
type source struct {
	dir    *dir   // the open directory it is in
	name   string // its name there
	data   []byte
	id     fileID  // what it was when read
	xattrs []xattr // its extended attributes, to keep
}

// readSource reads the regular file name in d with one read-only open:
// an unchanged post is never opened for writing. Its extended attributes
// are read too when it may be rewritten (forRewrite), to be kept.
func readSource(d *dir, name string, forRewrite bool) (source, error) {
	f, err := d.fd.open(name, os.O_RDONLY, 0)
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
	src := source{dir: d, name: name, id: id}
	if src.data, err = f.readAll(id.size); err != nil {
		return source{}, err
	}
	if forRewrite {
		if src.xattrs, err = f.xattrs(); err != nil {
			return source{}, err
		}
	}
	return src, nil
}

// replace puts data in place of the post src, keeping its identity.
func replace(src source, data []byte, flush *groupFlush) error {
	if src.id.mode&0o222 == 0 {
		return errReadOnly
	}
	if src.id.nlink > 1 {
		return &hardLinkedError{links: src.id.nlink}
	}
	d := src.dir.fd
	tmp, err := createTemp(d, src.name, src.id.perm)
	if err != nil {
		return err
	}
	defer tmp.close() // after the rename: the lock covers the temp file's whole life
	if err = fill(tmp, src, data, flush); err == nil {
		err = stillSame(d, src, data)
	}
	if err == nil {
		err = d.rename(tmp.name, src.name)
	}
	if err != nil {
		d.remove(tmp.name)
		if errors.Is(err, errUnchanged) {
			return nil
		}
		return unwrapPathErr(err)
	}
	return nil
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
	if chowned || id.perm != src.id.perm { // the umask took bits, or chown cleared some
		if err := tmp.chmod(src.id.perm); err != nil {
			return err
		}
	}
	if err := tmp.setXattrs(src.xattrs); err != nil {
		return fmt.Errorf("%w; not rewritten", err)
	}
	return flush.durable(tmp, id.dev)
}

// errUnchanged: the post already holds the bytes to write.
var errUnchanged = errors.New("already written")

// stillSame checks, just before the rename, that the post is the file that
// was read. When another program replaced or modified it meanwhile, that
// program wins: the post is left alone. If it now holds exactly the bytes
// to write (another mdclean run got there first), there is nothing to do.
func stillSame(d dirFD, src source, data []byte) error {
	f, cur, err := openSettled(d, src.name)
	if err != nil {
		return errChanged // gone: do not bring it back
	}
	defer f.close()
	switch {
	case sameFile(src.id, cur):
		return nil
	case fileHolds(f, cur, data):
		return errUnchanged
	}
	return errChanged
}

// holds reports whether the file name in d holds exactly data.
func holds(d dirFD, name string, data []byte) bool {
	f, id, err := openSettled(d, name)
	if err != nil {
		return false
	}
	defer f.close()
	return fileHolds(f, id, data)
}

// fileHolds reports whether f, described by id, holds exactly data.
func fileHolds(f sysFile, id fileID, data []byte) bool {
	if id.size != int64(len(data)) {
		return false
	}
	now, err := f.readAll(id.size)
	return err == nil && bytes.Equal(now, data)
}

// A lookup that races another program's rename over the name can return
// the file being replaced, already unlinked (no links left), for as long
// as the file system takes to finish the rename. Such a file is no answer
// about what the name holds: look again, a bounded number of times.
const settleTries = 200

// openSettled opens name in d read-only and describes the file it opened,
// looking past a file caught mid-replacement. What it says is of that
// file alone: a stat taken before may describe another file by now.
func openSettled(d dirFD, name string) (sysFile, fileID, error) {
	for try := 0; ; try++ {
		f, err := d.open(name, os.O_RDONLY, 0)
		if err != nil {
			return sysFile{}, fileID{}, err
		}
		id, err := f.stat()
		if err == nil && (id.nlink > 0 || try == settleTries) {
			return f, id, nil
		}
		f.close()
		if err != nil {
			return sysFile{}, fileID{}, err
		}
		time.Sleep(time.Millisecond)
	}
}

// Temp files are named ".NAME.mdclean-PID-RANDOM.tmp": hidden, with an
// ending no walk takes for a post, and naming the process that owns them.
// NAME is cut short where the whole would pass the 255 bytes a file name
// may have.
var tempName = regexp.MustCompile(`^\..*\.mdclean-([0-9]+)-[0-9a-f]+\.tmp$`)

var pid = strconv.Itoa(os.Getpid())

// IsTempName reports a file name of a temp file mdclean -w or -o writes.
func IsTempName(name string) bool { return tempName.MatchString(name) }

// createTemp creates a new, locked temp file in d for the post name, with
// the permissions perm, less the umask.
func createTemp(d dirFD, name string, perm uint32) (sysFile, error) {
	const maxName = 255
	suffix := ".mdclean-" + pid + "-"
	base := name
	if room := maxName - 1 - len(suffix) - 10 - len(".tmp"); len(base) > room {
		base = base[:room]
	}
	var err error
	for range 100 {
		var f sysFile
		tmp := "." + base + suffix + strconv.FormatUint(rand.Uint64()&0xffffffffff, 16) + ".tmp"
		f, err = d.open(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm&0o777)
		if err == nil {
			if _, err = f.lock(); err != nil {
				f.close()
				d.remove(tmp)
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

// removeIfAbandoned removes the temp file name in d if no run is writing
// it: nobody holds its lock, and its owner process is gone or it is old. A
// live run's temp files are never touched.
func removeIfAbandoned(d dirFD, name string) {
	m := tempName.FindStringSubmatch(name)
	owner, err := strconv.Atoi(m[1])
	if err != nil {
		return
	}
	f, err := d.open(name, os.O_RDONLY, 0)
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
	if owner != os.Getpid() && processGone(owner) || time.Since(id.mtime) > abandonedAge {
		d.remove(name)
	}
}

// groupFlush makes temp files durable before they are renamed into place.
// Alone, each temp file is fsynced. A run shares one groupFlush among its
// writers: a writer that needs a flush waits for a syncfs that starts after
// its write, and one syncfs covers every writer waiting on that file system,
// so a tree costs far fewer flushes than posts.
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

// mirror writes data as the file rel below the output folder out (open),
// creating its directories, unless it already holds exactly data (so that
// its mtime stays). Below out it follows no link and replaces nothing but
// a regular file. It returns the directory written into, held, for the
// caller to sync and release; nil when nothing was written.
func mirror(out *dir, rel string, data []byte, flush *groupFlush, sw *sweeper, dirs *lastDir) (*dir, error) {
	d, err := dirs.open(out, filepath.Dir(rel))
	if err != nil {
		return nil, err
	}
	name := filepath.Base(rel)
	if cur, err := d.fd.stat(name); err == nil {
		if !cur.mode.IsRegular() {
			d.release()
			return nil, fmt.Errorf("%s: %w; not written", filepath.Join(out.path, rel), errNotRegular)
		}
		if holds(d.fd, name, data) {
			d.release()
			return nil, nil
		}
	}
	sw.sweep(d, nil)
	f, err := createTemp(d.fd, name, 0o644)
	if err != nil {
		d.release()
		return nil, err
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
		err = d.fd.rename(f.name, name)
	}
	if err != nil {
		d.fd.remove(f.name)
		d.release()
		return nil, unwrapPathErr(err)
	}
	return d, nil
}

// lastDir is the directory a writer wrote its last mirror copy into, held
// open: posts come in walk order, so the next is most often in the same
// directory, and opening its chain again for every post cost several
// system calls each.
type lastDir struct {
	rel string
	d   *dir
}

// open returns the directory rel below out, held, as mkdirs does.
func (c *lastDir) open(out *dir, rel string) (*dir, error) {
	if c.d != nil && c.rel == rel {
		return c.d.hold(), nil
	}
	d, err := mkdirs(out, rel)
	if err != nil {
		return nil, err
	}
	c.release()
	c.rel, c.d = rel, d.hold()
	return d, nil
}

func (c *lastDir) release() {
	c.d.release()
	c.d = nil
}

// mkdirs opens the directory rel below out, making what is missing, and
// never through a link.
func mkdirs(out *dir, rel string) (*dir, error) {
	d := out.hold()
	if rel == "." {
		return d, nil
	}
	path := out.path
	for _, part := range splitPath(rel) {
		path = filepath.Join(path, part)
		sub, err := d.fd.openDir(part)
		if errors.Is(err, os.ErrNotExist) {
			if err = d.fd.mkdir(part); err == nil || errors.Is(err, os.ErrExist) {
				sub, err = d.fd.openDir(part)
			}
		}
		d.release()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, unwrapPathErr(err))
		}
		d = newDir(sub, path)
	}
	return d, nil
}

func splitPath(rel string) []string {
	var parts []string
	for _, p := range strings.Split(filepath.ToSlash(rel), "/") {
		if p != "" && p != "." {
			parts = append(parts, p)
		}
	}
	return parts
}
