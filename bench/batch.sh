#!/usr/bin/env bash
# Batch throughput of mdclean, with html-to-markdown's own CLI on the same
# bodies for reference. Fills a temp tree with N posts (copies of
# ../shared/corpus/mitbbs when present, else of this repo's news-like
# fixtures), then times:
#   mdclean on the dirty tree to /dev/null (cleaning alone), -o into a new
#   tree, -w on the dirty tree, --check on the cleaned tree,
#   html2markdown converting the bare HTML bodies (no cleaning, no front matter, no writes back);
#   cleaning on one core (-j 1) beside the same html2markdown run;
#   start-up: one process per post (the filter and pre-commit case), both tools;
#   in process: go test -bench, Clean against parse + convert of the same post,
#   and per-element time of tables and emphasis from 1k to 100k elements.
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

# measure NAME CMD...: runs CMD under /usr/bin/time -v and prints a line.
measure() {
	local name=$1
	shift
	local status=0
	sync # start every tool from the same clean page cache, not behind our own copies
	/usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" || status=$?
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time.txt")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	awk -v name="$name" -v n="$n" -v b="$bytes" -v w="$wall" -v r="$rss" -v st="$status" 'BEGIN {
		printf "%-34s %7.2f s %9.0f files/s %7.1f MB/s  peak RSS %6.1f MB  exit %d\n", name, w, n/w, b/w/1e6, r/1024, st }'
	printf '%s\t%s\n' "$name" "$(awk -v n="$n" -v w="$wall" 'BEGIN{printf "%.0f", n/w}')" >> "$work/results.txt"
}

jobs=${JOBS:-$(nproc)}
measure "mdclean (dirty tree to /dev/null)" "$work/mdclean" -q -j "$jobs" "$work/tree"
measure "mdclean -j 1 (dirty tree to /dev/null)" "$work/mdclean" -q -j 1 "$work/tree"
measure "mdclean -o (cleaned copies)" "$work/mdclean" -q -j "$jobs" -o "$work/out" "$work/tree"
measure "mdclean -w (dirty tree, -j $jobs)" "$work/mdclean" -w -q -j "$jobs" "$work/tree"
measure "mdclean --check (clean tree)" "$work/mdclean" --check -q -j "$jobs" "$work/tree"
if [ -n "$h2m" ]; then
	measure "html2markdown $h2m_version (bodies)" "$h2m" --input "$work/html/*.html" --output "$work/h2m/"
	awk -F'\t' 'BEGIN {n = 0} /^html2markdown/ {h=$2} /^mdclean/ {name[n]=$1; rate[n++]=$2}
		END { if (h > 0) for (i = 0; i < n; i++) printf "ratio to html2markdown: %-36s %.2f\n", name[i], rate[i]/h }' "$work/results.txt"
fi

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

# In process, one core: Clean against html-to-markdown's parse + convert.
(cd "$root" && go test ./clean -run '^$' -bench 'NewsPost$' -benchtime 2s -count 3 -cpu 1) |
	awk '/^Benchmark/ { print; name = $1; sub(/-[0-9]+$/, "", name); if (!(name in best) || $3 < best[name]) best[name] = $3 }
	END {
		c = best["BenchmarkCleanNewsPost"]; p = best["BenchmarkParseConvertNewsPost"]
		if (c > 0 && p > 0) printf "Clean / (parse + convert), best of 3: %.2f\n", c / p
	}'

# Linearity: nanoseconds per element of a table of N rows and a paragraph of
# N emphasis runs, at 1k, 10k and 100k; level figures mean linear work.
(cd "$root" && go test ./clean -run '^$' -bench 'Scaling' -benchtime 2x -count 1 -cpu 1) |
	awk '/^BenchmarkScaling/ { printf "%-44s %8.0f ns/element\n", $1, $(NF-1) }'
