#!/bin/sh
# Makes the portal's native addon (better-sqlite3) load on the Node that runs it: the Node 24 from
# the `node` npm package, not the system Node 20 whose headers ~/.npmrc's `nodedir=/usr` points at.
# Run after `npm ci`. better-sqlite3 13 ships Node-API prebuilds, so usually this only checks that
# the addon loads; when it does not (or with --force) it compiles it from source against Node 24.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PATH="$ROOT/node_modules/.bin:$PATH"
export PATH

NODE_VERSION=$(node -p 'process.versions.node')
# Preparing many statements makes V8 collect some: 12.x's node::ObjectWrap aborted there on Node 24.19+.
loads() {
  node -e "const D = require('better-sqlite3'); const db = new D(':memory:'); for (let i = 0; i < 20000; i++) db.prepare('select ' + i).get(); db.close()" 2>/dev/null
}

if [ "${1:-}" != "--force" ] && loads; then
  echo "better-sqlite3 loads on Node $NODE_VERSION"
  exit 0
fi

# The headers of the Node that runs: the node-linux-* package that put it on PATH carries them
# (bin/node beside include/node). A Node from elsewhere without them: fetch that package's headers
# from the npm registry once.
NODEDIR=$(cd "$(dirname "$(node -p 'require("node:fs").realpathSync(process.execPath)')")/.." && pwd)
if [ ! -f "$NODEDIR/include/node/node_api.h" ]; then
  NODEDIR="$ROOT/node_modules/.cache/node-headers-$NODE_VERSION"
  if [ ! -f "$NODEDIR/include/node/node_api.h" ]; then
    mkdir -p "$NODEDIR"
    TARBALL=$(cd "$NODEDIR" && npm pack --silent "node-linux-$(node -p process.arch)@$NODE_VERSION")
    tar -xzf "$NODEDIR/$TARBALL" -C "$NODEDIR" --strip-components=1 package/include
    rm -f "$NODEDIR/$TARBALL"
  fi
fi

echo "Compiling better-sqlite3 against the Node $NODE_VERSION headers in $NODEDIR"
(cd "$ROOT/node_modules/better-sqlite3" && node-gyp rebuild --release --force_build=1 --nodedir="$NODEDIR")
loads || { echo "better-sqlite3 still does not load on Node $NODE_VERSION" >&2; exit 1; }
echo "better-sqlite3 loads on Node $NODE_VERSION"
