#!/usr/bin/env bash
# action.yml's install step: puts `loadr` for this runner into LOADR_TOOL_DIR (kept by the cache
# step between jobs for a pinned version), through scripts/install.sh (which verifies the
# release's SHA256SUMS), and adds it to GITHUB_PATH.
# Env: INPUT_VERSION ("latest" or X.Y.Z), INPUT_RELEASE_URL (optional), LOADR_TOOL_DIR, GITHUB_PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${INPUT_VERSION:-latest}"
if [ -n "${INPUT_RELEASE_URL:-}" ]; then
  url="$INPUT_RELEASE_URL"
elif [ "$version" = latest ]; then
  url="https://github.com/loadr/loadr/releases/latest/download"
else
  url="https://github.com/loadr/loadr/releases/download/v${version#v}"
fi
if [ -x "$LOADR_TOOL_DIR/loadr" ] && [ "$version" != latest ]; then
  echo "loadr $version from the cache"
else
  LOADR_RELEASE_URL="$url" LOADR_INSTALL_DIR="$LOADR_TOOL_DIR" sh "$here/../install.sh"
fi
echo "$LOADR_TOOL_DIR" >> "${GITHUB_PATH:-/dev/null}"
"$LOADR_TOOL_DIR/loadr" version
