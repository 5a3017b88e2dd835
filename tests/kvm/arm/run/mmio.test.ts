// KVM_EXIT_MMIO fields and completion (reference kvm-arm32-abi.md §9): for every load/store width and
// signedness in ARM and Thumb (16- and 32-bit encodings), both data endiannesses; the completion's
// sign/zero extension, register write, PC advance and IT advance; write-back forms. Expected values
// come from §9.1–§9.3 and the ARM ARM's definition of each instruction.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEV_BASE, ERRNO, EXIT, REG_PC, REG_R, REG_CPSR, RUN_OFF, load, reg, runRaw, runView, start, tinyVm,
  type TinyVm,
} from "./tiny-vm.js";
import type { VcpuFd } from "../../../../src/facade/index.js";

interface Access {
  pa: number;
  len: number;
  write: boolean;
  data: number[];
}

/** The exit's fields as §4.2's table lays them out. */
function exitOf(c: VcpuFd): Access {
  const v = runView(c);
  assert.equal(v.getUint32(RUN_OFF.exit_reason, true), EXIT.MMIO, "exit_reason");
  const len = v.getUint32(RUN_OFF.mmio_len, true);
  const data: number[] = [];
  for (let i = 0; i < len; i++) data.push(v.getUint8(RUN_OFF.mmio_data + i));
  return {
    pa: Number(v.getBigUint64(RUN_OFF.mmio_phys_addr, true)), len, write: v.getUint8(RUN_OFF.mmio_is_write) !== 0, data,
  };
}

/** Userspace answers a read: mmio.data[0..len) in memory order. */
function answer(c: VcpuFd, bytes: number[]): void {
  const v = runView(c);
  bytes.forEach((b, i) => v.setUint8(RUN_OFF.mmio_data + i, b));
}

/** KVM_RUN with immediate_exit = 1: completes the pending access and returns EINTR (§9.3). */
function completeOnly(t: TinyVm, c: VcpuFd): void {
  runView(c).setUint8(RUN_OFF.immediate_exit, 1);
  assert.equal(runRaw(t, c), -ERRNO.EINTR);
  runView(c).setUint8(RUN_OFF.immediate_exit, 0);
}

interface Case {
  name: string;
  insn: string;
  thumb?: boolean;
  bigEndian?: boolean;
  /** bytes of the instruction (PC advance) */
  size: number;
  len: number;
  write: boolean;
  /** read: bytes userspace supplies, and the value the destination r1 must get */
  bytes?: number[];
  r1?: number;
  /** write: r2's value and the bytes the exit must carry */
  r2?: number;
  offset?: number;
}

const DEV = DEV_BASE + 0x10;
const cases: Case[] = [];
for (const thumb of [false, true]) {
  const T = thumb ? "T32" : "A32";
  const w = thumb ? ".w" : "";
  const sz = thumb ? 4 : 4;
  cases.push(
    { name: `${T} LDRB`, insn: `ldrb${w} r1, [r0]`, thumb, size: sz, len: 1, write: false, bytes: [0x85], r1: 0x85 },
    { name: `${T} LDRSB`, insn: `ldrsb${w} r1, [r0]`, thumb, size: sz, len: 1, write: false, bytes: [0x85], r1: 0xffffff85 },
    { name: `${T} LDRSB positive`, insn: `ldrsb${w} r1, [r0]`, thumb, size: sz, len: 1, write: false, bytes: [0x7f], r1: 0x7f },
    { name: `${T} LDRH`, insn: `ldrh${w} r1, [r0, #2]`, thumb, size: sz, len: 2, write: false, bytes: [0x34, 0x92], r1: 0x9234, offset: 2 },
    { name: `${T} LDRSH`, insn: `ldrsh${w} r1, [r0]`, thumb, size: sz, len: 2, write: false, bytes: [0x34, 0x92], r1: 0xffff9234 },
    { name: `${T} LDR`, insn: `ldr${w} r1, [r0, #4]`, thumb, size: sz, len: 4, write: false, bytes: [0x78, 0x56, 0x34, 0x92], r1: 0x92345678, offset: 4 },
    { name: `${T} STRB`, insn: `strb${w} r2, [r0]`, thumb, size: sz, len: 1, write: true, r2: 0x12345687, bytes: [0x87] },
    { name: `${T} STRH`, insn: `strh${w} r2, [r0]`, thumb, size: sz, len: 2, write: true, r2: 0x12345687, bytes: [0x87, 0x56] },
    { name: `${T} STR`, insn: `str${w} r2, [r0, #8]`, thumb, size: sz, len: 4, write: true, r2: 0x12345687, bytes: [0x87, 0x56, 0x34, 0x12], offset: 8 },
    // big-endian data (CPSR.E = 1): the bytes in memory order are the register's most significant first
    { name: `${T} LDR BE`, insn: `ldr${w} r1, [r0]`, thumb, bigEndian: true, size: sz, len: 4, write: false, bytes: [0x12, 0x34, 0x56, 0x78], r1: 0x12345678 },
    { name: `${T} LDRSH BE`, insn: `ldrsh${w} r1, [r0]`, thumb, bigEndian: true, size: sz, len: 2, write: false, bytes: [0x92, 0x34], r1: 0xffff9234 },
    { name: `${T} LDRH BE`, insn: `ldrh${w} r1, [r0]`, thumb, bigEndian: true, size: sz, len: 2, write: false, bytes: [0x92, 0x34], r1: 0x9234 },
    { name: `${T} STR BE`, insn: `str${w} r2, [r0]`, thumb, bigEndian: true, size: sz, len: 4, write: true, r2: 0x11223344, bytes: [0x11, 0x22, 0x33, 0x44] },
    { name: `${T} STRH BE`, insn: `strh${w} r2, [r0]`, thumb, bigEndian: true, size: sz, len: 2, write: true, r2: 0x11223344, bytes: [0x33, 0x44] },
  );
}
// 16-bit Thumb encodings: the PC advances by 2 (§9.3, HSR.IL)
cases.push(
  { name: "T16 LDR", insn: "ldr r1, [r0, #4]", thumb: true, size: 2, len: 4, write: false, bytes: [1, 2, 3, 0x84], r1: 0x84030201, offset: 4 },
  { name: "T16 LDRB", insn: "ldrb r1, [r0, #1]", thumb: true, size: 2, len: 1, write: false, bytes: [0xff], r1: 0xff, offset: 1 },
  { name: "T16 LDRH", insn: "ldrh r1, [r0]", thumb: true, size: 2, len: 2, write: false, bytes: [0xfe, 0xff], r1: 0xfffe },
  { name: "T16 LDRSB (register)", insn: "ldrsb r1, [r0, r3]", thumb: true, size: 2, len: 1, write: false, bytes: [0x80], r1: 0xffffff80 },
  { name: "T16 LDRSH (register)", insn: "ldrsh r1, [r0, r3]", thumb: true, size: 2, len: 2, write: false, bytes: [0x00, 0x80], r1: 0xffff8000 },
  { name: "T16 STR", insn: "str r2, [r0]", thumb: true, size: 2, len: 4, write: true, r2: 0xcafef00d, bytes: [0x0d, 0xf0, 0xfe, 0xca] },
  { name: "T16 STRB", insn: "strb r2, [r0]", thumb: true, size: 2, len: 1, write: true, r2: 0xcafef00d, bytes: [0x0d] },
  { name: "T16 STRH", insn: "strh r2, [r0]", thumb: true, size: 2, len: 2, write: true, r2: 0xcafef00d, bytes: [0x0d, 0xf0] },
);

for (const k of cases) {
  test(`MMIO exit and completion: ${k.name}`, () => {
    const t = tinyVm();
    const entry = load(t, `${k.insn}\nmov r4, #1\nb .`, { thumb: k.thumb });
    const c = start(t, entry, { thumb: k.thumb, bigEndian: k.bigEndian });
    c.setOneReg(REG_R(0), DEV);
    c.setOneReg(REG_R(1), 0x5a5a5a5a);
    c.setOneReg(REG_R(2), k.r2 ?? 0);
    c.setOneReg(REG_R(3), 0);
    assert.equal(runRaw(t, c), 0);
    const e = exitOf(c);
    assert.equal(e.pa, DEV + (k.offset ?? 0), "phys_addr");
    assert.equal(e.len, k.len, "len");
    assert.equal(e.write, k.write, "is_write");
    if (k.write) assert.deepEqual(e.data, k.bytes, "data in memory order");
    // Nothing is committed before the next KVM_RUN: PC still at the instruction.
    assert.equal(reg(c, REG_PC), entry);
    if (!k.write) answer(c, k.bytes!);
    completeOnly(t, c);
    assert.equal(reg(c, REG_PC), entry + k.size, "PC advanced past the instruction");
    assert.equal(reg(c, REG_R(1)), k.write ? 0x5a5a5a5a : k.r1, "destination register");
    assert.equal(reg(c, REG_R(4)), 0, "the next instruction has not run");
    assert.equal((reg(c, REG_CPSR) >>> 5) & 1, k.thumb ? 1 : 0, "instruction set kept");
    assert.equal((reg(c, REG_CPSR) >>> 9) & 1, k.bigEndian ? 1 : 0, "CPSR.E kept");
  });
}

test("MMIO: write-back forms complete with the base updated (post-index, pre-index with !)", () => {
  const t = tinyVm();
  const entry = load(t, "ldr r1, [r0], #4\nstrh r2, [r0, #2]!\nb .");
  const c = start(t, entry);
  c.setOneReg(REG_R(0), DEV);
  c.setOneReg(REG_R(2), 0xbeef);
  assert.equal(runRaw(t, c), 0);
  assert.equal(exitOf(c).pa, DEV);
  answer(c, [4, 3, 2, 1]);
  assert.equal(runRaw(t, c), 0); // completes the LDR, then the STRH exits
  assert.equal(reg(c, REG_R(1)), 0x01020304);
  const e = exitOf(c);
  assert.deepEqual(e, { pa: DEV + 6, len: 2, write: true, data: [0xef, 0xbe] });
  assert.equal(reg(c, REG_R(0)), DEV + 4, "post-index write-back done, pre-index not yet");
  completeOnly(t, c);
  assert.equal(reg(c, REG_R(0)), DEV + 6);
  assert.equal(reg(c, REG_PC), entry + 8);
});

test("MMIO in a Thumb IT block: completion advances ITSTATE (the else slot is skipped)", () => {
  const t = tinyVm();
  const entry = load(t, "cmp r0, r0\nite eq\nldreq r1, [r0]\nmovne r2, #7\nmov r3, #9\nb .", { thumb: true });
  const c = start(t, entry, { thumb: true });
  c.setOneReg(REG_R(0), DEV);
  assert.equal(runRaw(t, c), 0);
  assert.equal(exitOf(c).pa, DEV);
  answer(c, [0x11, 0x22, 0x33, 0x44]);
  completeOnly(t, c);
  assert.equal(reg(c, REG_R(1)), 0x44332211);
  assert.equal(reg(c, REG_PC), entry + 6, "PC at the MOVNE");
  // ITSTATE now holds the NE slot: CPSR.IT[7:0] = (cond NE = 0001, one instruction left)
  const cpsr = reg(c, REG_CPSR);
  const it = ((cpsr >>> 25) & 3) | (((cpsr >>> 10) & 0x3f) << 2);
  assert.equal(it >>> 4, 0x1, "IT condition is NE");
  assert.equal(it & 0xf, 0x8, "one instruction left in the IT block");
  assert.equal(runRaw(t, c), -ERRNO.EINTR); // runs to the end of the slice
  assert.equal(reg(c, REG_R(2)), 0, "MOVNE did not execute (Z = 1)");
  assert.equal(reg(c, REG_R(3)), 9);
});

test("MMIO: a write to a READONLY slot exits; a read from it is RAM", () => {
  const t = tinyVm();
  const m = t.host.mmap(-1, 0x1000);
  if (typeof m === "number") throw new Error("mmap");
  m.bytes.set([0xaa, 0xbb, 0xcc, 0xdd]);
  const ro = 0x4800_0000;
  t.vm.setUserMemoryRegion({ slot: 1, flags: 2 /* KVM_MEM_READONLY */, guest_phys_addr: ro, memory_size: 0x1000, userspace_addr: m.addr });
  const entry = load(t, "ldr r1, [r0]\nstr r2, [r0, #4]\nmov r4, #1\nb .");
  const c = start(t, entry);
  c.setOneReg(REG_R(0), ro);
  c.setOneReg(REG_R(2), 0x01020304);
  assert.equal(runRaw(t, c), 0);
  assert.deepEqual(exitOf(c), { pa: ro + 4, len: 4, write: true, data: [4, 3, 2, 1] });
  assert.equal(reg(c, REG_R(1)), 0xddccbbaa, "the load read the slot's bytes without an exit");
  completeOnly(t, c);
  assert.deepEqual([...m.bytes.subarray(4, 8)], [0, 0, 0, 0], "the slot is not written");
  assert.equal(reg(c, REG_PC), entry + 8);
});

test("MMIO: phys_addr is the full address of the access (u64 field), reads leave is_write 0", () => {
  const t = tinyVm();
  const entry = load(t, "ldr r1, [r0, #-4]\nb .");
  const c = start(t, entry);
  c.setOneReg(REG_R(0), 0xfff0_1000);
  assert.equal(runRaw(t, c), 0);
  const e = exitOf(c);
  assert.equal(e.pa, 0xfff0_0ffc);
  assert.equal(e.len, 4);
  assert.equal(e.write, false);
});
