#!/bin/sh
# Rebuilds the example plugins: score.wasm from score.wat (Debian: apt-get install wabt) and the
# native libfast for this machine (gcc). OUT (default: this directory) is where libfast goes;
# score.wasm is committed beside its source.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here}
wat2wasm "$here/score.wat" -o "$here/score.wasm"
case "$(uname -s)" in
  Darwin) ext=dylib ;;
  MINGW*|MSYS*|CYGWIN*) ext=dll ;;
  *) ext=so ;;
esac
mkdir -p "$out"
gcc -O2 -shared -fPIC -o "$out/libfast.$ext" "$here/libfast.c"
echo "built $here/score.wasm and $out/libfast.$ext"
