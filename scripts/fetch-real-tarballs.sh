#!/usr/bin/env bash
# Fetches the real CPython release tarballs the test suite checks against, from Debian's source
# archive (the .orig tarballs are the upstream tarballs byte for byte), verifies their pinned
# SHA-256 and caches them under $CPYTHON_SBOM_REAL_DIR (default: .cache/real). Also unpacks
# Debian's patched python3.13 3.13.5-2+deb13u5 source package (62 quilt patches applied).
# Safe to run again: what is cached and verified is not fetched twice.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${CPYTHON_SBOM_REAL_DIR:-$here/.cache/real}
mkdir -p "$dest"
cd "$dest"

# debian-package=version  orig-tarball  upstream-name  sha256
pins=(
  "python3.11=3.11.2-6+deb12u8 python3.11_3.11.2.orig.tar.gz Python-3.11.2.tgz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
  "python3.13=3.13.5-2+deb13u5 python3.13_3.13.5.orig.tar.xz Python-3.13.5.tar.xz 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"
  "python3.13=3.13.15-1 python3.13_3.13.15.orig.tar.xz Python-3.13.15.tar.xz 1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76"
)
patched_pin="python3.13=3.13.5-2+deb13u5"
patched_dir="debian-python3.13-3.13.5-2+deb13u5"

have() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

apt_ready=""
ensure_apt() {
  [ -n "$apt_ready" ] && return 0
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    if [ "$(id -u)" != 0 ]; then
      echo "fetch-real: no deb-src entry in apt's sources and not root; add one for bookworm trixie sid (main)" >&2
      exit 2
    fi
    cat > /etc/apt/sources.list.d/cpython-sbom-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq >/dev/null
  apt_ready=1
}

for pin in "${pins[@]}"; do
  read -r pkg orig upstream sha <<<"$pin"
  if have "$upstream" "$sha"; then
    echo "fetch-real: $upstream cached"
    continue
  fi
  ensure_apt
  echo "fetch-real: downloading $pkg"
  apt-get source --download-only -qq "$pkg" >/dev/null 2>&1 || apt-get source --download-only "$pkg"
  if ! have "$orig" "$sha"; then
    echo "fetch-real: $orig does not have the pinned SHA-256 $sha" >&2
    exit 1
  fi
  cp "$orig" "$upstream"
  echo "fetch-real: $upstream verified"
done

if [ ! -f "$patched_dir/debian/patches/series" ]; then
  ensure_apt
  if ! command -v dpkg-source >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "fetch-real: dpkg-source is missing (install dpkg-dev)" >&2; exit 2; }
    apt-get install -y -qq dpkg-dev >/dev/null
  fi
  version=${patched_pin#*=}
  dsc="python3.13_${version}.dsc"
  [ -f "$dsc" ] || apt-get source --download-only -qq "$patched_pin" >/dev/null
  rm -rf "$patched_dir"
  dpkg-source --no-check -x "$dsc" "$patched_dir" >/dev/null
  echo "fetch-real: unpacked $patched_dir ($(grep -cv '^\s*\(#\|$\)' "$patched_dir/debian/patches/series") patches in series)"
else
  echo "fetch-real: $patched_dir cached"
fi
