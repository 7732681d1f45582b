# Shared set-up of the benchmark scripts, sourced with the post count as $1:
# sets root (the repository), n (posts, default 20000) and work (a temp
# directory removed on exit, holding the mdclean binary built from root as
# the README's install section recommends: static, without urfave/cli's
# documentation writers).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
CGO_ENABLED=0 go build -tags urfave_cli_no_docs -o "$work/mdclean" "$root"
