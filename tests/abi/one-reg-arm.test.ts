// ARM ONE_REG ids, expected values copied from kvm-arm32-abi.md §5.2–§5.7, §6.2, §6.3.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as r from "../../src/abi/one-reg-arm.js";
import { KVM_REG_SIZE, KVM_REG_ARM, KVM_REG_SIZE_U32, KVM_REG_SIZE_U64, KVM_REG_SIZE_U128 } from "../../src/abi/one-reg.js";

// §5.2: index -> name -> id
const CORE: [number, r.ArmCoreRegName, bigint][] = [
  [0, "r0", 0x4020000000100000n], [1, "r1", 0x4020000000100001n], [2, "r2", 0x4020000000100002n],
  [3, "r3", 0x4020000000100003n], [4, "r4", 0x4020000000100004n], [5, "r5", 0x4020000000100005n],
  [6, "r6", 0x4020000000100006n], [7, "r7", 0x4020000000100007n], [8, "r8", 0x4020000000100008n],
  [9, "r9", 0x4020000000100009n], [10, "r10", 0x402000000010000an], [11, "r11", 0x402000000010000bn],
  [12, "r12", 0x402000000010000cn], [13, "sp_usr", 0x402000000010000dn], [14, "lr_usr", 0x402000000010000en],
  [15, "pc", 0x402000000010000fn], [16, "cpsr", 0x4020000000100010n], [17, "ORIG_r0", 0x4020000000100011n],
  [18, "sp_svc", 0x4020000000100012n], [19, "lr_svc", 0x4020000000100013n], [20, "spsr_svc", 0x4020000000100014n],
  [21, "sp_abt", 0x4020000000100015n], [22, "lr_abt", 0x4020000000100016n], [23, "spsr_abt", 0x4020000000100017n],
  [24, "sp_und", 0x4020000000100018n], [25, "lr_und", 0x4020000000100019n], [26, "spsr_und", 0x402000000010001an],
  [27, "sp_irq", 0x402000000010001bn], [28, "lr_irq", 0x402000000010001cn], [29, "spsr_irq", 0x402000000010001dn],
  [30, "r8_fiq", 0x402000000010001en], [31, "r9_fiq", 0x402000000010001fn], [32, "r10_fiq", 0x4020000000100020n],
  [33, "r11_fiq", 0x4020000000100021n], [34, "r12_fiq", 0x4020000000100022n], [35, "sp_fiq", 0x4020000000100023n],
  [36, "lr_fiq", 0x4020000000100024n], [37, "spsr_fiq", 0x4020000000100025n],
];

// §6.2 (invariant) and §6.3 (saved): [name, crn, op1, crm, op2, id]  (32-bit)
const CP15_32: [string, number, number, number, number, bigint][] = [
  ["MIDR", 0, 0, 0, 0, 0x40200000000f0000n], ["CTR", 0, 0, 0, 1, 0x40200000000f0001n],
  ["TCMTR", 0, 0, 0, 2, 0x40200000000f0002n], ["TLBTR", 0, 0, 0, 3, 0x40200000000f0003n],
  ["REVIDR", 0, 0, 0, 6, 0x40200000000f0006n], ["CLIDR", 0, 1, 0, 1, 0x40200000000f0009n],
  ["AIDR", 0, 1, 0, 7, 0x40200000000f000fn], ["ID_PFR0", 0, 0, 1, 0, 0x40200000000f0080n],
  ["ID_PFR1", 0, 0, 1, 1, 0x40200000000f0081n], ["ID_DFR0", 0, 0, 1, 2, 0x40200000000f0082n],
  ["ID_AFR0", 0, 0, 1, 3, 0x40200000000f0083n], ["ID_MMFR0", 0, 0, 1, 4, 0x40200000000f0084n],
  ["ID_MMFR1", 0, 0, 1, 5, 0x40200000000f0085n], ["ID_MMFR2", 0, 0, 1, 6, 0x40200000000f0086n],
  ["ID_MMFR3", 0, 0, 1, 7, 0x40200000000f0087n], ["ID_ISAR0", 0, 0, 2, 0, 0x40200000000f0100n],
  ["ID_ISAR1", 0, 0, 2, 1, 0x40200000000f0101n], ["ID_ISAR2", 0, 0, 2, 2, 0x40200000000f0102n],
  ["ID_ISAR3", 0, 0, 2, 3, 0x40200000000f0103n], ["ID_ISAR4", 0, 0, 2, 4, 0x40200000000f0104n],
  ["ID_ISAR5", 0, 0, 2, 5, 0x40200000000f0105n],
  ["MPIDR", 0, 0, 0, 5, 0x40200000000f0005n], ["CSSELR", 0, 2, 0, 0, 0x40200000000f0010n],
  ["SCTLR", 1, 0, 0, 0, 0x40200000000f0800n], ["ACTLR", 1, 0, 0, 1, 0x40200000000f0801n],
  ["CPACR", 1, 0, 0, 2, 0x40200000000f0802n], ["TTBR0", 2, 0, 0, 0, 0x40200000000f1000n],
  ["TTBR1", 2, 0, 0, 1, 0x40200000000f1001n], ["TTBCR", 2, 0, 0, 2, 0x40200000000f1002n],
  ["DACR", 3, 0, 0, 0, 0x40200000000f1800n], ["DFSR", 5, 0, 0, 0, 0x40200000000f2800n],
  ["IFSR", 5, 0, 0, 1, 0x40200000000f2801n], ["ADFSR", 5, 0, 1, 0, 0x40200000000f2880n],
  ["AIFSR", 5, 0, 1, 1, 0x40200000000f2881n], ["DFAR", 6, 0, 0, 0, 0x40200000000f3000n],
  ["IFAR", 6, 0, 0, 2, 0x40200000000f3002n], ["L2CTLR", 9, 1, 0, 2, 0x40200000000f480an],
  ["PRRR", 10, 0, 2, 0, 0x40200000000f5100n], ["NMRR", 10, 0, 2, 1, 0x40200000000f5101n],
  ["AMAIR0", 10, 0, 3, 0, 0x40200000000f5180n], ["AMAIR1", 10, 0, 3, 1, 0x40200000000f5181n],
  ["VBAR", 12, 0, 0, 0, 0x40200000000f6000n], ["CONTEXTIDR", 13, 0, 0, 1, 0x40200000000f6801n],
  ["TPIDRURW", 13, 0, 0, 2, 0x40200000000f6802n], ["TPIDRURO", 13, 0, 0, 3, 0x40200000000f6803n],
  ["TPIDRPRW", 13, 0, 0, 4, 0x40200000000f6804n], ["CNTKCTL", 14, 0, 1, 0, 0x40200000000f7080n],
];
// §6.3 64-bit: [name, op1, crm, id]
const CP15_64: [string, number, number, bigint][] = [
  ["TTBR0", 0, 2, 0x40300000000f0100n], ["TTBR1", 1, 2, 0x40300000000f0108n], ["PAR", 0, 7, 0x40300000000f0380n],
];

test("core register ids (§5.2): all 38", () => {
  assert.equal(CORE.length, r.KVM_ARM_CORE_REG_COUNT);
  for (const [index, name, id] of CORE) {
    assert.equal(r.ARM_CORE_INDEX[name], index, name);
    assert.equal(r.armCoreReg(index), id, name);
    assert.deepEqual(r.decodeArmRegId(id), { group: "core", index }, name);
    assert.equal(KVM_REG_SIZE(id), 4);
  }
  assert.throws(() => r.armCoreReg(38), RangeError);
  // index ≥ 38 or a non-U32 size is no core register (ENOENT)
  assert.deepEqual(r.decodeArmRegId(0x4020000000100026n), { group: "invalid", reason: "encoding" });
  assert.deepEqual(r.decodeArmRegId(0x4030000000100000n), { group: "invalid", reason: "encoding" });
});

test("the seed's 0x4002… core-id form is not an ARM id (bits 51..32 set → arch error)", () => {
  assert.deepEqual(r.decodeArmRegId(0x4002000000100000n), { group: "invalid", reason: "arch" });
});

test("CP15 32-bit ids (§6.2 and §6.3) encode and decode", () => {
  for (const [name, crn, op1, crm, op2, id] of CP15_32) {
    assert.equal(r.armCp15Reg32(op1, crn, crm, op2), id, name);
    assert.deepEqual(r.decodeArmRegId(id), { group: "cp15", is64: false, op1, crn, crm, op2 }, name);
  }
});

test("CP15 64-bit ids (§6.3) encode and decode", () => {
  for (const [name, op1, crm, id] of CP15_64) {
    assert.equal(r.armCp15Reg64(op1, crm), id, name);
    assert.deepEqual(r.decodeArmRegId(id), { group: "cp15", is64: true, op1, crn: 0, crm, op2: 0 }, name);
  }
  // a U64 CP15 id with CRn or Opc2 bits is malformed
  assert.equal(r.decodeArmRegId(0x40300000000f0101n).group, "invalid");
  assert.equal(r.decodeArmRegId(0x40300000000f0900n).group, "invalid");
});

test("timer ids (§5.6)", () => {
  assert.equal(r.KVM_REG_ARM_TIMER_CTL, 0x40200000000f7181n);
  assert.equal(r.KVM_REG_ARM_TIMER_CNT, 0x40300000000f0708n);
  assert.equal(r.KVM_REG_ARM_TIMER_CVAL, 0x40300000000f0718n);
  assert.equal(r.KVM_REG_ARM_PTIMER_CTL, 0x40200000000f7101n);
  assert.equal(r.KVM_REG_ARM_PTIMER_CNT, 0x40300000000f0700n);
  assert.equal(r.KVM_REG_ARM_PTIMER_CVAL, 0x40300000000f0710n);
  assert.deepEqual(r.decodeArmRegId(0x40300000000f0718n), { group: "cp15", is64: true, op1: 3, crn: 0, crm: 14, op2: 0 });
});

test("VFP ids (§5.4)", () => {
  for (let n = 0; n < 32; n++) {
    const id = 0x4030000000120000n + BigInt(n);
    assert.equal(r.armVfpDReg(n), id);
    assert.deepEqual(r.decodeArmRegId(id), { group: "vfp", index: n });
  }
  const ctl: [number, bigint][] = [
    [0x1000, 0x4020000000121000n], [0x1001, 0x4020000000121001n], [0x1006, 0x4020000000121006n],
    [0x1007, 0x4020000000121007n], [0x1008, 0x4020000000121008n], [0x1009, 0x4020000000121009n],
    [0x100a, 0x402000000012100an],
  ];
  for (const [index, id] of ctl) {
    assert.equal(r.armVfpReg(index), id);
    assert.deepEqual(r.decodeArmRegId(id), { group: "vfp", index });
  }
  assert.equal(r.KVM_REG_ARM_VFP_FPSID_ID, 0x4020000000121000n);
  assert.equal(r.KVM_REG_ARM_VFP_FPINST2_ID, 0x402000000012100an);
  // D register with U32 size, control register with U64 size, unknown index, bits 31..28 → invalid
  assert.equal(r.decodeArmRegId(0x4020000000120000n).group, "invalid");
  assert.equal(r.decodeArmRegId(0x4030000000121001n).group, "invalid");
  assert.equal(r.decodeArmRegId(0x4020000000121002n).group, "invalid");
  assert.equal(r.decodeArmRegId(0x4030000020120000n).group, "invalid");
  assert.throws(() => r.armVfpReg(0x1002), RangeError);
});

test("CCSIDR demux ids (§5.5)", () => {
  assert.equal(r.armDemuxCcsidr(0), 0x4020000000110000n);
  assert.equal(r.armDemuxCcsidr(1), 0x4020000000110001n);
  assert.equal(r.armDemuxCcsidr(2), 0x4020000000110002n);
  assert.deepEqual(r.decodeArmRegId(0x4020000000110002n), { group: "demux", demux_id: 0, value: 2 });
  assert.equal(r.decodeArmRegId(0x4020000000110100n).group, "invalid"); // demux id 1 unknown
  assert.equal(r.decodeArmRegId(0x4030000000110000n).group, "invalid"); // must be U32
});

test("firmware pseudo-register ids (§5.7)", () => {
  assert.equal(r.KVM_REG_ARM_PSCI_VERSION, 0x4030000000140000n);
  assert.equal(r.KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, 0x4030000000140001n);
  assert.equal(r.KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, 0x4030000000140002n);
  assert.equal(r.armFwReg(0x1234), 0x4030000000141234n);
  assert.deepEqual(r.decodeArmRegId(0x4030000000140002n), { group: "fw", index: 2 });
  assert.equal(r.decodeArmRegId(0x4020000000140000n).group, "invalid");
});

test("decoder: other architectures, stray bits and unknown groups", () => {
  assert.deepEqual(r.decodeArmRegId(0x6030000000100000n), { group: "invalid", reason: "arch" }); // arm64
  assert.deepEqual(r.decodeArmRegId(0x1030000000000001n), { group: "invalid", reason: "arch" }); // ppc HIOR
  assert.deepEqual(r.decodeArmRegId(0x4020000100100000n), { group: "invalid", reason: "arch" }); // bit 32
  assert.deepEqual(r.decodeArmRegId(0x40200000100f0000n), { group: "invalid", reason: "encoding" }); // secure bit
  assert.deepEqual(r.decodeArmRegId(0x4020000000130000n), { group: "invalid", reason: "encoding" }); // group 0x13
  assert.equal(r.decodeArmRegId(KVM_REG_ARM | KVM_REG_SIZE_U128 | 0x100000n).group, "invalid");
  assert.ok(r.isArmRegId(KVM_REG_ARM | KVM_REG_SIZE_U32 | 0x100000n));
  assert.ok(!r.isArmRegId(KVM_REG_ARM | KVM_REG_SIZE_U64 | 0x100000n));
});

test("encode/decode round trip over every well-formed CP15 field combination", () => {
  for (let crn = 0; crn < 16; crn++) for (let op1 = 0; op1 < 8; op1++) for (let crm = 0; crm < 16; crm++) for (let op2 = 0; op2 < 8; op2++) {
    const d = r.decodeArmRegId(r.armCp15Reg32(op1, crn, crm, op2));
    assert.ok(d.group === "cp15" && !d.is64 && d.crn === crn && d.op1 === op1 && d.crm === crm && d.op2 === op2);
  }
  for (let op1 = 0; op1 < 16; op1++) for (let crm = 0; crm < 16; crm++) {
    const id = r.armCp15Reg64(op1, crm);
    assert.equal(id & KVM_REG_SIZE_U64, KVM_REG_SIZE_U64);
    const d = r.decodeArmRegId(id);
    assert.ok(d.group === "cp15" && d.is64 && d.op1 === op1 && d.crm === crm);
  }
});
