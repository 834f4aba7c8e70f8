#!/bin/sh
# Installs the loadr binary for this machine from a release, after checking its SHA-256 sum.
#
#   curl -fsSL https://github.com/loadr/loadr/releases/latest/download/install.sh | sh
#
# Environment:
#   LOADR_RELEASE_URL  where the release's files are (default: the project's latest release);
#                      it must hold SHA256SUMS and loadr-<os>-<arch>.tar.gz (scripts/release.ts)
#   LOADR_INSTALL_DIR  where to put `loadr` (default: /usr/local/bin as root, else ~/.local/bin)
#   LOADR_TARGET       the release target to install instead of the detected one (linux-x64-baseline …)
# Exit codes: 0 installed; 1 a download, a sum mismatch or an unsupported platform.
set -eu

RELEASE_URL="${LOADR_RELEASE_URL:-https://github.com/loadr/loadr/releases/latest/download}"
RELEASE_URL="${RELEASE_URL%/}"

fail() {
  echo "loadr install: $*" >&2
  exit 1
}

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN*) fail "on Windows, download loadr-windows-x64.zip from $RELEASE_URL and check it against SHA256SUMS (see the README's Install section)" ;;
    *) fail "no release for the operating system '$os' (releases: linux, darwin, windows)" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "no release for the CPU '$arch' (releases: x64, arm64)" ;;
  esac
  target="$os-$arch"
  # x64 Linux CPUs without AVX2 need the baseline build.
  if [ "$target" = linux-x64 ] && [ -r /proc/cpuinfo ] && ! grep -qw avx2 /proc/cpuinfo; then
    target=linux-x64-baseline
  fi
  echo "$target"
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || fail "could not download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || fail "could not download $1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed: the download cannot be verified"
  fi
}

target="${LOADR_TARGET:-$(detect_target)}"
archive="loadr-$target.tar.gz"
if [ -n "${LOADR_INSTALL_DIR:-}" ]; then
  dir="$LOADR_INSTALL_DIR"
elif [ "$(id -u)" = 0 ]; then
  dir=/usr/local/bin
else
  dir="$HOME/.local/bin"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t loadr)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "loadr install: $archive from $RELEASE_URL"
download "$RELEASE_URL/SHA256SUMS" "$tmp/SHA256SUMS"
download "$RELEASE_URL/$archive" "$tmp/$archive"
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS at $RELEASE_URL lists no $archive"
actual=$(sha256_of "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: expected $expected, got $actual. The download is corrupt or was tampered with; nothing was installed."
fi

mkdir -p "$tmp/x"
tar -xzf "$tmp/$archive" -C "$tmp/x" || fail "could not unpack $archive"
[ -f "$tmp/x/loadr" ] || fail "$archive holds no loadr binary"
mkdir -p "$dir" || fail "cannot create $dir (set LOADR_INSTALL_DIR to a directory you can write)"
# Replace atomically: a running loadr keeps its old file.
cp "$tmp/x/loadr" "$dir/.loadr.new" || fail "cannot write to $dir (set LOADR_INSTALL_DIR to a directory you can write)"
chmod 755 "$dir/.loadr.new"
mv -f "$dir/.loadr.new" "$dir/loadr"
echo "loadr install: installed $dir/loadr ($("$dir/loadr" version 2>/dev/null || echo "version unknown"))"
case ":$PATH:" in
  *":$dir:"*) ;;
  *) echo "loadr install: $dir is not on your PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
