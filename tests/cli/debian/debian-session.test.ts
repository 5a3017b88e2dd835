// The Debian session harness's console cleaning (no boot): the kernel's printk lines, which the
// console interleaves with the shell's output even in the middle of a line, and the tty's CRs go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withoutKernelLog } from "./debian-session.js";

test("kernel log lines are removed, whole or starting mid-line; shell text stays", () => {
  const console =
    "@@BEG3@@\r\n" +
    "[   12.345678] EXT4-fs (vda): mounted filesystem with ordered data mode.\r\n" +
    "0\r\n" +
    "13107[  100.000001] random: crng init done\r\n" +
    "2\r\n" +
    "@@END3@@ 0\r\n";
  assert.equal(withoutKernelLog(console), "@@BEG3@@\n0\n131072\n@@END3@@ 0\n");
});

test("bracketed shell output that is not a kernel timestamp stays", () => {
  assert.equal(withoutKernelLog("[1] 123\r\n[ 1.5] x\r\n"), "[1] 123\n[ 1.5] x\n");
});

test("a kernel line still being printed (no newline yet) is removed too", () => {
  assert.equal(withoutKernelLog("prompt# [    3.141592] virtio_blk virtio0: [vda]"), "prompt# ");
});
