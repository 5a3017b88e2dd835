// struct kvm_run offsets from kvm-arm32-abi.md §4.2 and kvm-ppc-abi.md §4.1–4.2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLayout } from "./layout.js";
import * as run from "../../src/abi/structs/run.js";

const { kvm_run } = run;

test("kvm_run header (both references)", () => {
  assert.equal(run.KVM_RUN_STRUCT_SIZE, 2352);
  assertLayout(kvm_run, 2352, {
    request_interrupt_window: [0, 1], immediate_exit: [1, 1], padding1: [2, 6], exit_reason: [8, 4],
    ready_for_interrupt_injection: [12, 1], if_flag: [13, 1], flags: [14, 2], cr8: [16, 8], apic_base: [24, 8],
    kvm_valid_regs: [288, 8], kvm_dirty_regs: [296, 8],
  });
  assert.equal(run.KVM_RUN_IMMEDIATE_EXIT, 1);
  assert.equal(run.KVM_RUN_EXIT_REASON, 8);
  assert.equal(run.KVM_RUN_EXIT_UNION, 32);
  assert.equal(run.KVM_RUN_KVM_VALID_REGS, 288);
  assert.equal(run.KVM_RUN_KVM_DIRTY_REGS, 296);
  assert.equal(run.KVM_RUN_S, 304);
  assert.equal(run.KVM_RUN_S + run.KVM_SYNC_REGS_SIZE_BYTES, 2352);
});

test("ARM union members (§4.2 table)", () => {
  assertLayout(kvm_run.hw, 2352, { hardware_exit_reason: [32, 8] });
  assertLayout(kvm_run.fail_entry, 2352, { hardware_entry_failure_reason: [32, 8], cpu: [40, 4] });
  assertLayout(kvm_run.mmio, 2352, { phys_addr: [32, 8], data: [40, 8], len: [48, 4], is_write: [52, 1] });
  // hypercall: nr 32, args[6] 40..87, ret 88, longmode 96
  assertLayout(kvm_run.hypercall, 2352, { nr: [32, 8], args: [40, 48], ret: [88, 8], longmode: [96, 4] });
  assertLayout(kvm_run.internal, 2352, { suberror: [32, 4], ndata: [36, 4], data: [40, 128] });
  assertLayout(kvm_run.system_event, 2352, { type: [32, 4], ndata: [36, 4], flags: [40, 8] });
  assertLayout(kvm_run.arm_nisv, 2352, { esr_iss: [32, 8], fault_ipa: [40, 8] });
  assertLayout(kvm_run.s, 2352, { device_irq_level: [304, 8] });
  assert.equal(run.KVM_RUN_MMIO_PHYS_ADDR, 32);
  assert.equal(run.KVM_RUN_MMIO_DATA, 40);
  assert.equal(run.KVM_RUN_MMIO_LEN, 48);
  assert.equal(run.KVM_RUN_MMIO_IS_WRITE, 52);
  assert.equal(run.KVM_RUN_SYSTEM_EVENT_TYPE, 32);
  assert.equal(run.KVM_RUN_SYSTEM_EVENT_FLAGS, 40);
  assert.equal(run.KVM_RUN_ARM_NISV_ESR_ISS, 32);
  assert.equal(run.KVM_RUN_ARM_NISV_FAULT_IPA, 40);
  assert.equal(run.KVM_RUN_S_REGS_DEVICE_IRQ_LEVEL, 304);
  assert.deepEqual([run.KVM_ARM_DEV_EL1_VTIMER, run.KVM_ARM_DEV_EL1_PTIMER, run.KVM_ARM_DEV_PMU], [1, 2, 4]);
});

test("PowerPC union members (ppc §4.2 table)", () => {
  // papr_hcall: nr u64 @32, ret u64 @40, args[9] u64 @48..119
  assertLayout(kvm_run.papr_hcall, 2352, { nr: [32, 8], ret: [40, 8], args: [48, 72] });
  assert.equal(run.KVM_RUN_PAPR_HCALL_ARGS + 8 * 8, 112); // args[8]
  assertLayout(kvm_run.osi, 2352, { gprs: [32, 256] }); // @32..287
  assertLayout(kvm_run.epr, 2352, { epr: [32, 4] });
  assertLayout(kvm_run.dcr, 2352, { dcrn: [32, 4], data: [36, 4], is_write: [40, 1] });
  assertLayout(kvm_run.debug, 2352, { address: [32, 8], status: [40, 4], reserved: [44, 4] });
  assert.deepEqual([run.KVMPPC_DEBUG_BREAKPOINT, run.KVMPPC_DEBUG_WATCH_WRITE, run.KVMPPC_DEBUG_WATCH_READ], [2, 4, 8]);
});

test("every union member stays inside the 256-byte union", () => {
  const members = ["hw", "fail_entry", "mmio", "hypercall", "internal", "system_event", "arm_nisv", "papr_hcall", "osi", "epr", "dcr", "debug"] as const;
  for (const m of members) {
    for (const f of kvm_run[m].fields) {
      assert.ok(f.offset >= 32, `${m}.${f.name}`);
      const end = f.offset + (f.type === "bytes" ? f.count! : (f.type.endsWith("64") ? 8 : f.type.endsWith("32") ? 4 : f.type === "u16" ? 2 : 1) * (f.count ?? 1));
      assert.ok(end <= 288, `${m}.${f.name} ends at ${end}`);
    }
  }
});

test("an MMIO exit written with the offset constants reads back through the codec", () => {
  const page = new Uint8Array(4096);
  const v = new DataView(page.buffer);
  v.setUint32(run.KVM_RUN_EXIT_REASON, 6, true);
  v.setBigUint64(run.KVM_RUN_MMIO_PHYS_ADDR, 0x0900_0000n, true);
  page.set([0x44, 0x33, 0x22, 0x11], run.KVM_RUN_MMIO_DATA);
  v.setUint32(run.KVM_RUN_MMIO_LEN, 4, true);
  v.setUint8(run.KVM_RUN_MMIO_IS_WRITE, 1);
  assert.equal(kvm_run.read(v).exit_reason, 6);
  const m = kvm_run.mmio.read(v);
  assert.equal(m.phys_addr, 0x0900_0000n);
  assert.deepEqual([...m.data], [0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0]);
  assert.equal(m.len, 4);
  assert.equal(m.is_write, 1);
  kvm_run.papr_hcall.write(v, { ret: 0n, args: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n] });
  assert.equal(v.getBigUint64(48 + 8 * 8, true), 9n);
});
