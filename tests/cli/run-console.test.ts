// The console's Ctrl-A escape (as QEMU's -nographic muxer): C-a x quits, C-a C-a sends one C-a,
// C-a h prints help, any other key after C-a goes to the guest with the C-a; split across chunks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConsoleEscape, CTRL_A } from "../../src/cli/console.js";

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

test("plain input passes through untouched", () => {
  const r = new ConsoleEscape().feed(bytes("ls -l\r\x03"));
  assert.deepEqual([...r.forward], [...bytes("ls -l\r\x03")]);
  assert.deepEqual(r.actions, []);
});

test("Ctrl-A x and Ctrl-A X quit; the escape bytes are not sent", () => {
  for (const k of ["x", "X"]) {
    const r = new ConsoleEscape().feed(bytes(`ab\x01${k}cd`));
    assert.deepEqual([...r.forward], [...bytes("abcd")]);
    assert.deepEqual(r.actions, ["quit"]);
  }
});

test("Ctrl-A Ctrl-A sends one Ctrl-A; Ctrl-A + other key sends both", () => {
  const e = new ConsoleEscape();
  assert.deepEqual([...e.feed(Uint8Array.of(CTRL_A, CTRL_A)).forward], [CTRL_A]);
  assert.deepEqual([...e.feed(bytes("\x01c")).forward], [CTRL_A, 0x63]);
  assert.deepEqual(e.feed(bytes("\x01h")).actions, ["help"]);
});

test("an escape split across two chunks still works", () => {
  const e = new ConsoleEscape();
  const a = e.feed(bytes("q\x01"));
  assert.deepEqual([...a.forward], [0x71]);
  assert.deepEqual(a.actions, []);
  const b = e.feed(bytes("x"));
  assert.deepEqual([...b.forward], []);
  assert.deepEqual(b.actions, ["quit"]);
});
