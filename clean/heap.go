package clean

import (
	"runtime/debug"
	"sync"
)

// bigPost is the size from which a post is cleaned with a small heap goal.
// Its parsed tree takes about seven times its size, and with the large goal
// that suits batches of small posts (see main) the peak would pass twenty
// times; with GOGC=10 it stays near nine (50 MB post: 455 MB).
const bigPost = 8 << 20

var heap struct {
	sync.Mutex
	big  int // big posts being cleaned now
	prev int // the GC percentage to restore
}

// shrinkHeapFor lowers the GC goal while a big post is cleaned and returns
// the function that restores it when the last big post is done.
func shrinkHeapFor(size int) func() {
	if size < bigPost {
		return func() {}
	}
	heap.Lock()
	if heap.big == 0 {
		heap.prev = debug.SetGCPercent(10)
	}
	heap.big++
	heap.Unlock()
	return func() {
		heap.Lock()
		if heap.big--; heap.big == 0 {
			debug.SetGCPercent(heap.prev)
		}
		heap.Unlock()
	}
}
