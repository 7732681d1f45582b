#!/usr/bin/env bash
# Development check: cleans a corpus of posts into a temp folder and runs
# markdownlint-cli2 on the Markdown with the rules that judge a converter's
# output (lint/output.markdownlint-cli2.yaml). Leading blank lines are dropped
# first, so that markdownlint sees the front matter as front matter.
# Usage: scripts/lint-output.sh [CORPUS_DIR]   (default ../shared/corpus)
# Needs node and npm; installs markdownlint-cli2 into a temp folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/corpus}
if [ ! -d "$corpus" ]; then
	echo "lint-output: no corpus at $corpus; skipping"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/mdclean" "$root"
mkdir -p "$work/out"
(cd "$corpus" && find . -name '*.md' ! -name README.md) | while read -r rel; do
	mkdir -p "$work/out/$(dirname "$rel")"
	"$work/mdclean" < "$corpus/$rel" | sed '/./,$!d' > "$work/out/$rel"
done

(cd "$work" && npm install --silent --no-save --no-audit --no-fund markdownlint-cli2@0.24.1 >/dev/null)
cp "$root/lint/output.markdownlint-cli2.yaml" "$work/out/.markdownlint-cli2.yaml"
cd "$work/out"
"$work/node_modules/.bin/markdownlint-cli2" "**/*.md"
