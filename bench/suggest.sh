#!/usr/bin/env bash
# Speed of mdclean suggest on a tree of N posts: copies of ../shared/sources
# and ../shared/corpus when present (one directory per source), else of
# this repo's suggest fixtures. Prints wall time, files/s and peak RSS.
# Usage: bench/suggest.sh [N]   (default 20000)
source "$(dirname "$0")/common.sh" "$@"
if [ -d "$root/../shared/sources" ]; then
	srcs=("$root"/../shared/sources/*/*.md "$root"/../shared/corpus/*/*.md)
else
	srcs=("$root"/testdata/suggest/posts/*/*.md)
fi
for ((i = 0; i < n; i++)); do
	src=${srcs[i % ${#srcs[@]}]}
	d=$work/tree/$(basename "$(dirname "$src")")
	[ -d "$d" ] || mkdir -p "$d"
	cp "$src" "$d/$i-$(basename "$src")"
done
chmod -R u+w "$work/tree"
sync
/usr/bin/time -v -o "$work/time.txt" "$work/mdclean" suggest "$work/tree" >"$work/learned.yaml" 2>"$work/summary.txt"
awk -F': ' -v n="$n" '/Elapsed \(wall clock\)/ {k=split($2,a,":"); s=0; for(i=1;i<=k;i++) s=s*60+a[i]; w=s}
	/Maximum resident set size/ {r=$2}
	END {printf "mdclean suggest: %d posts in %.2f s (%.0f files/s), peak RSS %.1f MB, %d CPUs\n", n, w, n/w, r/1024, '"$(nproc)"'}' "$work/time.txt"
echo "rules proposed: $(grep -c '^  - name:' "$work/learned.yaml" || true)"
