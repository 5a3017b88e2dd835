#!/usr/bin/env bash
# Installs what tskvm needs on a Debian machine: Node packages, and the Debian cross toolchain and
# oracles the tests use (ARM cross compiler, qemu-user, qemu-system-arm, csmith, dtc, e2fsprogs), then
# fetches the Debian guest the acceptance tests boot (best effort). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user qemu-system-arm csmith libcsmith-dev device-tree-compiler cpio xz-utils tmux)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run build
# The Debian guest (tests/cli/debian boot it): fetch it when missing. Best effort: without a mirror the
# setup still succeeds and those tests skip with the reason.
guest_path="$(node dist/src/cli/main.js guest path)"
if [[ "$guest_path" == *"no guest yet"* ]]; then
  node dist/src/cli/main.js guest fetch || echo "setup: warning: 'tskvm guest fetch' failed; the Debian guest tests will skip" >&2
fi
