import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build, hasToolchain } from "./toolchain.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

function tskvm(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, "user", ...args], { encoding: "utf8", timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const asm = (body: string) => build(`.syntax unified\n.arm\n.global _start\n_start:\n${body}\n`, "S");

const HELLO = `
  mov r0, #1
  adr r1, msg
  mov r2, #15
  mov r7, #4
  svc #0
  mov r0, #42
  mov r7, #248
  svc #0
msg: .ascii "hello from arm\\n"
`;

test("a program's stdout and exit status are its own", { skip: !hasToolchain }, () => {
  const r = tskvm(asm(HELLO));
  assert.equal(r.stdout, "hello from arm\n");
  assert.equal(r.stderr, "");
  assert.equal(r.status, 42);
});

test("--strace lists each call with arguments and result on stderr", { skip: !hasToolchain }, () => {
  const r = tskvm("--strace", asm(HELLO));
  assert.equal(r.stdout, "hello from arm\n");
  assert.match(r.stderr, /^\d+ write\(1, 0x[0-9a-f]+, 15\) = 15$/m);
  assert.match(r.stderr, /^\d+ exit_group\(42\) = \?$/m);
});

test("argv reaches the program: it prints argv[2]", { skip: !hasToolchain }, () => {
  const prog = asm(`
  ldr r1, [sp, #12]        @ argv[2]
  mov r2, #0
1: ldrb r3, [r1, r2]
  cmp r3, #0
  addne r2, r2, #1
  bne 1b
  mov r0, #1
  mov r7, #4
  svc #0
  ldr r0, [sp]             @ argc
  mov r7, #1
  svc #0
`);
  const r = tskvm(prog, "first", "second arg");
  assert.equal(r.stdout, "second arg");
  assert.equal(r.status, 3);
});

test("a segmentation fault ends with status 139 and one clear line, no JS stack", { skip: !hasToolchain }, () => {
  const r = tskvm(asm(`
  mov r0, #0
  str r0, [r0]
`));
  assert.equal(r.status, 139);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^tskvm: .*: Segmentation fault \(signal 11\)/);
  assert.match(lines[0], /write to 0x00000000/);
});

test("an undefined instruction is SIGILL (status 132)", { skip: !hasToolchain }, () => {
  const r = tskvm(asm("  udf #7"));
  assert.equal(r.status, 132);
  assert.match(r.stderr, /Illegal instruction \(signal 4\)/);
});

test("kill(getpid(), SIGABRT) with the default action: status 134", { skip: !hasToolchain }, () => {
  const r = tskvm(asm(`
  mov r7, #20
  svc #0                   @ getpid
  mov r1, #6
  mov r7, #37
  svc #0                   @ kill(pid, SIGABRT)
  mov r0, #0
  mov r7, #1
  svc #0
`));
  assert.equal(r.status, 134);
  assert.match(r.stderr, /Aborted \(signal 6\)/);
});

test("kuser helpers run on the core: get_tls after set_tls, cmpxchg and cmpxchg64", { skip: !hasToolchain }, () => {
  const r = tskvm(asm(`
  ldr r0, =0x12345678
  ldr r7, =0xf0005
  svc #0                   @ set_tls
  mov r8, #0               @ result bits
  ldr r4, =0xffff0fe0
  blx r4                   @ __kuser_get_tls
  ldr r1, =0x12345678
  cmp r0, r1
  orreq r8, r8, #1
  ldr r2, =cell
  mov r0, #5               @ old (matches)
  mov r1, #9               @ new
  ldr r4, =0xffff0fc0
  blx r4                   @ __kuser_cmpxchg
  bcc 1f
  cmp r0, #0
  ldreq r3, [r2]
  cmpeq r3, #9
  orreq r8, r8, #2
1:mov r0, #5               @ old no longer matches
  mov r1, #7
  ldr r2, =cell
  blx r4
  bcs 2f
  ldr r3, [r2]
  cmp r3, #9
  orreq r8, r8, #4
2:ldr r0, =old64
  ldr r1, =new64
  ldr r2, =cell64
  ldr r4, =0xffff0f60
  blx r4                   @ __kuser_cmpxchg64
  bcc 3f
  ldr r5, =new64
  cmp r1, r5               @ r1 preserved
  ldr r3, [r2, #4]
  ldreq r6, =0xcafe0001
  cmpeq r3, r6
  orreq r8, r8, #8
3:mov r0, r8
  mov r7, #1
  svc #0
.ltorg
.data
.align 3
cell: .word 5
.align 3
cell64: .word 1, 2
old64: .word 1, 2
new64: .word 0xbeef0000, 0xcafe0001
`));
  assert.equal(r.stderr, "");
  assert.equal(r.status, 15);
});

test("error paths: no program, missing file, non-ARM file — one line each, status 1 or 2", () => {
  let r = tskvm();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^tskvm: user: missing PROGRAM/);
  r = tskvm("/nonexistent/prog");
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "tskvm: /nonexistent/prog: No such file or directory\n");
  r = tskvm(process.execPath);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `tskvm: ${process.execPath}: not a static ARM EABI executable\n`);
  r = tskvm("--cpu", "pentium", "/bin/true");
  assert.equal(r.status, 2);
  assert.equal(r.stderr.split("\n").length, 2);
});
