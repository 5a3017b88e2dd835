#!/usr/bin/env bash
# The main job, as far as tskvm has come: show the emulated KVM host through its public API, then
# compile a C program for 32-bit ARM and run it on tskvm's own Cortex-A15 core (`tskvm user`),
# next to qemu-arm's answer when qemu-user is installed. (Once the VMM lands, this boots Linux.)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/src/cli/main.js ] || npm run build
tskvm() { node dist/src/cli/main.js "$@"; }

echo "== tskvm info: the emulated /dev/kvm (a 32-bit ARM KVM host) =="
tskvm info
echo
out=build/demo
mkdir -p "$out"
arm-linux-gnueabihf-gcc -O2 -static -march=armv7-a -mfpu=neon-vfpv4 -mfloat-abi=hard \
  -o "$out/mandelbrot" guests/demo/mandelbrot.c
echo "== tskvm user $out/mandelbrot (static ARM EABI hard-float, on tskvm's software Cortex-A15) =="
start=$(date +%s.%N)
tskvm user --stats "$out/mandelbrot"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "(wall time %.2f s)\n", e - s }'
if command -v qemu-arm >/dev/null; then
  if cmp -s <(tskvm user "$out/mandelbrot") <(qemu-arm "$out/mandelbrot"); then
    echo "qemu-arm prints exactly the same."
  else
    echo "qemu-arm's output differs!" >&2
    exit 1
  fi
fi
