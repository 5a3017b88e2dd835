#!/usr/bin/env bash
# The main job: boot Debian's unmodified ARM (armmp) kernel on tskvm — software Cortex-A15 vCPUs driven
# through tskvm's emulated /dev/kvm by its own VMM — to a BusyBox shell on this terminal.
# Fetches the guest from Debian's packages first if it is missing (`tskvm guest fetch`).
# Quit with Ctrl-A X, or type `poweroff` in the guest. Extra arguments go to `tskvm run`
# (e.g. --mem 512, --disk disk.img).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/src/cli/main.js ] || npm run build
tskvm() { node dist/src/cli/main.js "$@"; }
if tskvm guest path | grep -q "no guest yet"; then
  tskvm guest fetch
fi
exec node dist/src/cli/main.js run --mem 256 --append "console=ttyAMA0" "$@"
