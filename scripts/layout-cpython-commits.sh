#!/usr/bin/env bash
# Lays out commits of a CPython git directory (a bare clone or mirror of CPython or a fork of it)
# as small git checkouts, one per commit, for regen's real-history tests:
#
#   scripts/layout-cpython-commits.sh GIT_DIR OUT_DIR [COMMIT...]
#
# Without COMMITs, every commit of GIT_DIR's `main` that touched the SBOM manifests or
# Tools/build/generate_sbom.py is laid out. Each goes to OUT_DIR/<short hash>/, is `git init`ed and
# committed (so `git check-ignore` sees a tracked tree), and OUT_DIR/commits.txt lists
# "<short hash> <date> <subject>". Blobs the git directory lacks (a partial clone) are skipped.
# Then run the tests with CPYTHON_SBOM_REGEN_COMMITS=OUT_DIR. Nothing here is committed to this
# repository; CI does not run it (it needs CPython's history, which is large).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 GIT_DIR OUT_DIR [COMMIT...]" >&2
  exit 2
fi
git_dir=$1
out=$2
shift 2
mkdir -p "$out"

if [ $# -eq 0 ]; then
  mapfile -t commits < <(git --git-dir="$git_dir" log main --format=%h \
    -- Misc/sbom.spdx.json Misc/externals.spdx.json Tools/build/generate_sbom.py)
else
  commits=("$@")
fi

: >"$out/commits.txt.tmp"
for commit in "${commits[@]}"; do
  short=$(git --git-dir="$git_dir" rev-parse --short=10 "$commit")
  dir="$out/$short"
  git --git-dir="$git_dir" log -1 --format="$short %ad %s" --date=short "$commit" >>"$out/commits.txt.tmp"
  if [ -d "$dir/.git" ]; then
    continue
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  index=$(mktemp)
  GIT_INDEX_FILE=$index git --git-dir="$git_dir" read-tree "$commit"
  # checkout-index stops at a missing blob; --ignore-skip-worktree-bits and -f keep going per file.
  GIT_INDEX_FILE=$index git --git-dir="$git_dir" --work-tree="$dir" checkout-index -a -f --prefix="$dir/" 2>/dev/null || true
  rm -f "$index"
  git -C "$dir" init -q
  git -C "$dir" add -A
  git -C "$dir" -c user.name=layout -c user.email=layout@invalid commit -q -m "layout of $short"
  echo "laid out $short in $dir" >&2
done
mv "$out/commits.txt.tmp" "$out/commits.txt"
