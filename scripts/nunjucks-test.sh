#!/usr/bin/env bash
# Renders mdclean --escape-templates output with Nunjucks, the engine Hexo
# runs on posts, and checks that hostile template text in an article shows
# exactly as written and runs nothing. First it checks that the payload in
# testdata/templates/live.md does run when not escaped, so the test can fail.
# Needs node and npm; nunjucks is installed into .cache/ (git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/.cache/nunjucks
if [ ! -d "$cache/node_modules/nunjucks" ]; then
	mkdir -p "$cache"
	npm install --silent --no-save --no-audit --no-fund --prefix "$cache" nunjucks >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/mdclean" "$root"

# render.js FILE: prints FILE's body as Hexo would hand it to Nunjucks and
# back: "{" and "}" in code hidden first (Hexo turns them into entities in
# code blocks and <code> before Nunjucks runs; private-use characters stand
# in for those here, so that entities mdclean wrote stay as written), and
# restored after, for comparison.
cat >"$work/render.js" <<'JS'
const fs = require('fs');
const nunjucks = require(process.env.NUNJUCKS);
const src = fs.readFileSync(process.argv[2], 'utf8');
const body = src.replace(/^---\n[\s\S]*?\n---\n/, '');
const protect = s => s.replace(/^( *(?:> *)*)(`{3,})[^\n]*\n[\s\S]*?^\1\2`*[ \t]*$|`[^`\n]*`/gm, c => c.replace(/{/g, '\uE000').replace(/}/g, '\uE001'));
const env = new nunjucks.Environment(null, { autoescape: false }); // as Hexo builds it
const out = env.renderString(protect(body), {});
process.stdout.write(out.replace(/\uE000/g, '{').replace(/\uE001/g, '}'));
JS
render() { (cd "$work" && NUNJUCKS=$cache/node_modules/nunjucks node render.js "$1"); }
body() { awk 'f>=2{print} /^---$/{f++}' "$1"; } # what follows the front matter

fail=0
# The payload is live: unescaped, it writes the marker.
"$work/mdclean" "$root/testdata/templates/live.md" >"$work/live.plain.md"
render "$work/live.plain.md" >/dev/null 2>&1 || true
if [ ! -e "$work/MARKER" ]; then
	echo "nunjucks: the payload in live.md did not run unescaped; the test proves nothing"; exit 1
fi
rm -f "$work/MARKER"

for f in "$root"/testdata/templates/*.md; do
	name=$(basename "$f")
	"$work/mdclean" "$f" >"$work/$name.plain"
	"$work/mdclean" --escape-templates "$f" >"$work/$name.escaped"
	if ! render "$work/$name.escaped" >"$work/$name.rendered" 2>"$work/$name.err"; then
		echo "nunjucks: $name: escaped output does not render:"; cat "$work/$name.err"; fail=1; continue
	fi
	if [ -e "$work/MARKER" ]; then
		echo "nunjucks: $name: the payload ran"; fail=1; rm -f "$work/MARKER"
	fi
	# The page shows the text of the unescaped output, byte for byte.
	body "$work/$name.plain" >"$work/$name.want"
	if ! diff -u "$work/$name.want" "$work/$name.rendered"; then
		echo "nunjucks: $name: rendered text differs from the text as written"; fail=1
	fi
done
[ "$fail" = 0 ] && echo "nunjucks: $(ls "$root"/testdata/templates/*.md | wc -l) posts render as written, nothing run"
exit "$fail"
