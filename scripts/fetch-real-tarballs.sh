#!/usr/bin/env bash
# Fetches the real CPython release tarballs the test suite checks against, from Debian's source
# archive (the .orig tarballs are the upstream tarballs byte for byte), verifies their pinned
# SHA-256 and caches them under $CPYTHON_SBOM_REAL_DIR (default: .cache/real). Also unpacks
# Debian's patched python3.13 3.13.5-2+deb13u5 source package (62 quilt patches applied).
#
# Debian's index moves on: a version it listed yesterday may be gone today, and it lists some
# versions whose files are already gone. So each file is asked of `apt-get source` first and,
# when that fails, downloaded from its path in Debian's pool (pool/main/p/SRCPKG/FILE), which
# keeps an orig tarball as long as any version of the package uses it. Whichever way it came,
# a file is used only when it has the pinned SHA-256.
# Safe to run again: what is cached and verified is not fetched twice.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
dest=${CPYTHON_SBOM_REAL_DIR:-$here/.cache/real}
mirror=${CPYTHON_SBOM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$dest"
cd "$dest"

# debian-package=version (or "-" when only the pool has it)  source-package  orig-tarball  upstream-name  sha256
pins=(
  "python3.11=3.11.2-6+deb12u8 python3.11 python3.11_3.11.2.orig.tar.gz Python-3.11.2.tgz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849"
  "python3.13=3.13.5-2+deb13u5 python3.13 python3.13_3.13.5.orig.tar.xz Python-3.13.5.tar.xz 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"
  "python3.13=3.13.15-1 python3.13 python3.13_3.13.15.orig.tar.xz Python-3.13.15.tar.xz 1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76"
  "- python3.9 python3.9_3.9.2.orig.tar.xz Python-3.9.2.tar.xz 3c2034c54f811448f516668dce09d24008a0716c3a794dd8639b5388cbde247d"
  "- python3.14 python3.14_3.14.4.orig.tar.xz Python-3.14.4.tar.xz d923c51303e38e249136fc1bdf3568d56ecb03214efdef48516176d3d7faaef8"
)
# Debian's patched 3.13.5: the two files dpkg-source needs besides the orig tarball, pinned too.
patched_pin="python3.13=3.13.5-2+deb13u5"
patched_dir="debian-python3.13-3.13.5-2+deb13u5"
patched_files=(
  "python3.13_3.13.5-2+deb13u5.dsc 4be84e20fb902354fa86955e2fbea6e8bdbd158f54833423488308a9b3532662"
  "python3.13_3.13.5-2+deb13u5.debian.tar.xz a51f456e654ce2c9b40cc1db8005e5041cdb0b2c3aa96ab0871c49fe95280366"
)

have() { [ -f "$1" ] && echo "$2  $1" | sha256sum -c --status; }

apt_ready=""
# 0 when apt can be asked for sources (a deb-src entry exists or was added); 1 otherwise.
ensure_apt() {
  [ "$apt_ready" = yes ] && return 0
  [ "$apt_ready" = no ] && return 1
  apt_ready=no
  command -v apt-get >/dev/null || return 1
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    [ "$(id -u)" = 0 ] || return 1
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
  apt-get update -qq >/dev/null 2>&1 || return 1
  apt_ready=yes
}

# Downloads FILE of source package SRCPKG from Debian's pool into the current directory.
from_pool() {
  local srcpkg=$1 file=$2
  local url="$mirror/pool/main/${srcpkg:0:1}/$srcpkg/$file"
  echo "fetch-real: downloading $url"
  rm -f "$file.part"
  if command -v curl >/dev/null; then
    curl -fsSL --retry 3 -o "$file.part" "$url" || { rm -f "$file.part"; return 1; }
  else
    wget -q -O "$file.part" "$url" || { rm -f "$file.part"; return 1; }
  fi
  mv "$file.part" "$file"
}

# Gets FILE (pinned SHA) of a Debian source package: apt first when a version is given, then the pool.
fetch_pinned() {
  local pkg=$1 srcpkg=$2 file=$3 sha=$4
  have "$file" "$sha" && return 0
  if [ "$pkg" != - ] && ensure_apt; then
    echo "fetch-real: apt-get source $pkg"
    apt-get source --download-only -qq "$pkg" >/dev/null 2>&1 || echo "fetch-real: apt-get source $pkg failed; trying Debian's pool"
    have "$file" "$sha" && return 0
  fi
  from_pool "$srcpkg" "$file" || { echo "fetch-real: cannot download $file from $mirror/pool" >&2; return 1; }
  if ! have "$file" "$sha"; then
    echo "fetch-real: $file does not have the pinned SHA-256 $sha" >&2
    return 1
  fi
}

for pin in "${pins[@]}"; do
  read -r pkg srcpkg orig upstream sha <<<"$pin"
  if have "$upstream" "$sha"; then
    echo "fetch-real: $upstream cached"
    continue
  fi
  fetch_pinned "$pkg" "$srcpkg" "$orig" "$sha" || exit 1
  cp "$orig" "$upstream"
  echo "fetch-real: $upstream verified"
done

if [ ! -f "$patched_dir/debian/patches/series" ]; then
  if ! command -v dpkg-source >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "fetch-real: dpkg-source is missing (install dpkg-dev)" >&2; exit 2; }
    apt-get install -y -qq dpkg-dev >/dev/null
  fi
  for entry in "${patched_files[@]}"; do
    read -r file sha <<<"$entry"
    fetch_pinned "$patched_pin" python3.13 "$file" "$sha" || exit 1
  done
  rm -rf "$patched_dir"
  dpkg-source --no-check -x "python3.13_${patched_pin#*=}.dsc" "$patched_dir" >/dev/null
  echo "fetch-real: unpacked $patched_dir ($(grep -cv '^\s*\(#\|$\)' "$patched_dir/debian/patches/series") patches in series)"
else
  echo "fetch-real: $patched_dir cached"
fi
