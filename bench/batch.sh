#!/usr/bin/env bash
# Batch throughput of mdclean, with html-to-markdown's own CLI on the same
# bodies for reference. Fills a temp tree with N posts (copies of
# ../shared/corpus/mitbbs when present, else of this repo's news-like
# fixtures), then times:
#   html2markdown converting the bare HTML bodies (no cleaning, no front
#   matter, no writes back), mdclean on the dirty tree to /dev/null
#   (cleaning alone) on every CPU and on one (-j 1), -o into a new tree, -w
#   on a dirty tree, --check on a cleaned tree: in rounds, the fastest of
#   each counting;
#   start-up: one process per post (the filter and pre-commit case), both
#   tools, and bench/stackfloor, which only imports mdclean's libraries;
#   in process: go test -bench, Clean against parse + convert of the same
#   posts (a made-up news post, and real ones), and per-element time of
#   tables and emphasis from 1k to 100k elements.
# Prints files/s, MB/s and peak RSS (from /usr/bin/time -v), and each
# mdclean figure as a ratio to html2markdown's in the same run.
# Usage: bench/batch.sh [N]   (default 20000; JOBS=k sets mdclean -j)
source "$(dirname "$0")/common.sh" "$@"
h2m_version=v2.5.2
if GOBIN=$work go install "github.com/JohannesKaufmann/html-to-markdown/v2/cli/html2markdown@$h2m_version" 2>/dev/null; then
	h2m=$work/html2markdown
else
	h2m=""
	echo "bench: html2markdown could not be installed; its line is skipped" >&2
fi

if [ -d "$root/../shared/corpus/mitbbs" ]; then
	srcs=("$root"/../shared/corpus/mitbbs/*.md)
	what="copies of ../shared/corpus/mitbbs"
else
	srcs=("$root"/testdata/golden/mitbbs-*.in.md "$root"/testdata/example.md)
	what="copies of testdata news fixtures"
fi

mkdir -p "$work/tree" "$work/html"
for ((i = 0; i < n; i++)); do
	src=${srcs[i % ${#srcs[@]}]}
	d=$work/tree/d$((i / 200))
	[ -d "$d" ] || mkdir -p "$d"
	cp "$src" "$d/post-$i.md"
done
# The bodies alone, as html-to-markdown's CLI takes them.
for ((k = 0; k < ${#srcs[@]}; k++)); do
	awk 'BEGIN{fm=0} fm<2 && /^---[ \t\r]*$/ {fm++; next} fm>=2 {print}' "${srcs[k]}" > "$work/body-$k.html"
done
for ((i = 0; i < n; i++)); do
	cp "$work/body-$((i % ${#srcs[@]})).html" "$work/html/post-$i.html"
done
chmod -R u+w "$work/tree" "$work/html" # the shared corpus is read-only
bytes=$(du -sb "$work/tree" | cut -f1)
echo "tree: $n posts, $((bytes / 1024)) KiB ($what), $(nproc) CPUs"

# The timed runs go in rounds, each tool once a round, and each tool's
# fastest run counts: this machine's file system at times takes several
# times longer to create files (ext4 scanning recently freed inodes, in
# system time, whatever tool asks), and rounds give every tool the same
# chances. Each run writes into a tree or folder of its own, made before
# the rounds, so that no deletion falls between the timed runs.
repeat=${REPEAT:-3}
declare -A best rss status
# time_once KEY CMD...: runs CMD under /usr/bin/time -v; keeps KEY's fastest.
time_once() {
	local key=$1 st=0 wall
	shift
	sync # start every tool from the same clean page cache, not behind our own copies
	/usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || st=$?
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
	if [ -z "${best[$key]:-}" ] || awk -v w="$wall" -v b="${best[$key]}" 'BEGIN { exit !(w < b) }'; then
		best[$key]=$wall
		rss[$key]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	fi
	status[$key]=$((${status[$key]:-0} | st))
}
jobs=${JOBS:-$(nproc)}
for ((r = 1; r <= repeat; r++)); do
	cp -a "$work/tree" "$work/w$r" # -w cleans its tree
done
for ((r = 1; r <= repeat; r++)); do
	if [ -n "$h2m" ]; then
		time_once h2m "$h2m" --input "$work/html/*.html" --output "$work/h2m$r/"
	fi
	time_once stdout "$work/mdclean" -q -j "$jobs" "$work/tree"
	time_once j1 "$work/mdclean" -q -j 1 "$work/tree"
	time_once o "$work/mdclean" -q -j "$jobs" -o "$work/out$r" "$work/tree"
	time_once w "$work/mdclean" -w -q -j "$jobs" "$work/w$r"
	time_once check "$work/mdclean" --check -q -j "$jobs" "$work/w1"
done
line() { # KEY NAME: prints KEY's figures
	awk -v name="$2" -v n="$n" -v b="$bytes" -v w="${best[$1]}" -v r="${rss[$1]}" -v st="${status[$1]}" -v k="$repeat" -v h="${best[h2m]:-0}" 'BEGIN {
		printf "%-38s %6.2f s %7.0f files/s %6.1f MB/s  peak RSS %5.1f MB  exit %d", name, w, n/w, b/w/1e6, r/1024, st
		if (h > 0 && name !~ /^html2markdown/) printf "  %5.2fx html2markdown", h/w
		printf "\n" }'
}
echo "fastest of $repeat rounds; the ratio is html2markdown's time over mdclean's (above 1: mdclean is faster)"
[ -n "$h2m" ] && line h2m "html2markdown $h2m_version (bodies)"
line stdout "mdclean (dirty tree to /dev/null, -j $jobs)"
line j1 "mdclean -j 1 (dirty tree to /dev/null)"
line o "mdclean -o (cleaned copies, -j $jobs)"
line w "mdclean -w (dirty tree, -j $jobs)"
line check "mdclean --check (clean tree, -j $jobs)"

# Start-up: one process per post, as a filter, for the first 200 posts.
k=$((n < 200 ? n : 200))
per_process() { # NAME CMD...: runs CMD once per post on stdin, prints ms per post
	local name=$1 start end
	shift
	start=$(date +%s%N)
	for ((i = 0; i < k; i++)); do
		"$@" < "$(input_of "$i")" > /dev/null 2>&1 || true
	done
	end=$(date +%s%N)
	awk -v name="$name" -v t=$(((end - start) / 1000)) -v k="$k" 'BEGIN { printf "%-34s %7.2f ms per post (%d posts, one process each)\n", name, t/k/1000, k }'
	printf '%s\t%s\n' "$name" $(((end - start) / k)) >> "$work/startup.txt"
}
input_of() { echo "$work/tree/d$(($1 / 200))/post-$1.md"; }
per_process "mdclean < post.md" "$work/mdclean" -q
if [ -n "$h2m" ]; then
	input_of() { echo "$work/html/post-$1.html"; }
	per_process "html2markdown < body.html" "$h2m"
	awk -F'\t' 'NR == 1 {m = $2} NR == 2 {h = $2} END { if (m > 0) printf "ratio to html2markdown: %-36s %.2f\n", "start-up (per-process speed)", h/m }' "$work/startup.txt"
fi
# The floor: a program that only imports the stack mdclean is built on
# (goquery, html-to-markdown, yaml.v3, urfave/cli), built both ways.
(cd "$root" && CGO_ENABLED=0 go build -tags urfave_cli_no_docs -o "$work/floor" ./bench/stackfloor && go build -o "$work/floor-default" ./bench/stackfloor)
per_process "stack floor, static (does nothing)" "$work/floor"
per_process "stack floor, default go build" "$work/floor-default"

# In process, one core: Clean against html-to-markdown's parse + convert,
# on the made-up news post and on real posts (../shared/corpus when
# present, else the golden inputs).
posts="$root/testdata/golden/*.in.md"
[ -d "$root/../shared/corpus" ] && posts="$(cd "$root/../shared/corpus" && pwd)/*/*.md"
(cd "$root" && MDCLEAN_BENCH_POSTS=$posts go test ./clean -run '^$' -bench 'NewsPost$|Posts$' -benchtime 2s -count 3 -cpu 1) |
	awk '/^Benchmark/ { print; name = $1; sub(/-[0-9]+$/, "", name); if (!(name in best) || $3 < best[name]) best[name] = $3 }
	END {
		c = best["BenchmarkCleanNewsPost"]; p = best["BenchmarkParseConvertNewsPost"]
		if (c > 0 && p > 0) printf "Clean / (parse + convert), news post, best of 3: %.2f\n", c / p
		c = best["BenchmarkCleanPosts"]; p = best["BenchmarkParseConvertPosts"]
		if (c > 0 && p > 0) printf "Clean / (parse + convert), real posts, best of 3: %.2f\n", c / p
	}'
echo "(real posts: $posts)"

# Linearity: nanoseconds per element of a table of N rows and a paragraph of
# N emphasis runs, at 1k, 10k and 100k; level figures mean linear work.
(cd "$root" && go test ./clean -run '^$' -bench 'Scaling' -benchtime 2x -count 1 -cpu 1) |
	awk '/^BenchmarkScaling/ { printf "%-44s %8.0f ns/element\n", $1, $(NF-1) }'
