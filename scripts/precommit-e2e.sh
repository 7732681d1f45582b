#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml: a throwaway content repository
# runs this repository's hooks through `pre-commit try-repo`.
# Needs git, go and pre-commit on PATH (.ci/run installs Debian's pre-commit).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v pre-commit >/dev/null || { echo "precommit-e2e: pre-commit is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=$work/cache # hermetic: a fresh hook environment
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
fail() { echo "precommit-e2e: FAIL: $*" >&2; exit 1; }

git init -q "$work/content"
cd "$work/content"
mkdir -p source/_posts
cat > source/_posts/dirty.md <<'POST'
---
title: A scraped post
---
<p>　　Real text.<font color="#F8F8F8">Mitbbs.com</font><br></p><p><br></p><script>track()</script>
POST
cat > source/_posts/clean.md <<'POST'
---
title: Already clean
---

Plain *Markdown*.
POST
printf 'not a post <p>x</p>\n' > notes.txt
# A README the config excludes: pre-commit names it, --force-exclude skips it.
cat > README.md <<'POST'
# The site

<details><summary>Setup</summary>Run `npm i` first.</details>
POST
printf "exclude: ['README.md']\n" > .mdclean.yaml
git add -A
readme_before=$(cat README.md)

clean_before=$(cat source/_posts/clean.md)

# The check hook fails on the dirty post and changes nothing.
if pre-commit try-repo "$repo" mdclean-check --all-files > "$work/check.log" 2>&1; then
	cat "$work/check.log"; fail "mdclean-check passed on a dirty post"
fi
grep -q "source/_posts/dirty.md: would change" "$work/check.log" || { cat "$work/check.log"; fail "check did not name the dirty post"; }
grep -q "README.md" "$work/check.log" && { cat "$work/check.log"; fail "check looked at the excluded README"; }
git diff --quiet || fail "mdclean-check changed files"

# The fixing hook fails (it changed a file) and fixes it.
if pre-commit try-repo "$repo" mdclean --all-files > "$work/fix.log" 2>&1; then
	cat "$work/fix.log"; fail "mdclean passed while fixing a dirty post"
fi
expected=$'---\ntitle: A scraped post\n---\n\nReal text.'
[ "$(cat source/_posts/dirty.md)" = "$expected" ] || { cat source/_posts/dirty.md; fail "dirty post not cleaned as expected"; }
[ "$(cat source/_posts/clean.md)" = "$clean_before" ] || fail "clean post was touched"
[ "$(cat notes.txt)" = "not a post <p>x</p>" ] || fail "a non-Markdown file was touched"
[ "$(cat README.md)" = "$readme_before" ] || { cat README.md; fail "the excluded README was rewritten"; }
grep -q "^source/_posts/dirty.md$" "$work/fix.log" || { cat "$work/fix.log"; fail "the fixing hook did not name the post it rewrote"; }

# Staged again, everything passes, with both hooks.
git add -A
pre-commit try-repo "$repo" mdclean --all-files > "$work/again.log" 2>&1 || { cat "$work/again.log"; fail "mdclean failed on a clean tree"; }
pre-commit try-repo "$repo" mdclean-check --all-files > "$work/again.log" 2>&1 || { cat "$work/again.log"; fail "mdclean-check failed on a clean tree"; }
git diff --quiet || fail "second run changed files"
echo "precommit-e2e: ok (check fails then passes, fix cleans the dirty post and names it, clean Markdown and the excluded README untouched)"
