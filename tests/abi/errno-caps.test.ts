// Errno values (asm-generic/errno*.h), capability numbers (kvm-arm32-abi.md §2.4, kvm-ppc-abi.md §4.5)
// and exit-reason numbers (arm §4.2, ppc §4.2).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as e from "../../src/abi/errno.js";
import * as caps from "../../src/abi/capabilities.js";
import * as x from "../../src/abi/exits.js";

test("errno values the KVM ABI uses", () => {
  const want: [string, number][] = [
    ["EPERM", 1], ["ENOENT", 2], ["EINTR", 4], ["EIO", 5], ["ENXIO", 6], ["E2BIG", 7], ["ENOEXEC", 8], ["EBADF", 9],
    ["EAGAIN", 11], ["ENOMEM", 12], ["EFAULT", 14], ["EBUSY", 16], ["EEXIST", 17], ["ENODEV", 19], ["EINVAL", 22],
    ["EMFILE", 24], ["ENOTTY", 25], ["ENOSPC", 28], ["ERANGE", 34], ["ENOSYS", 38], ["EOPNOTSUPP", 95],
  ];
  const table = e as unknown as Record<string, number>;
  for (const [name, value] of want) {
    assert.equal(table[name], value, name);
    assert.equal(e.errnoName(value), name);
    assert.equal(e.errnoName(-value), name);
  }
  assert.equal(e.errnoName(4095), "E#4095");
});

test("capability numbers (arm §2.4)", () => {
  const want: [string, number][] = [
    ["KVM_CAP_IRQCHIP", 0], ["KVM_CAP_USER_MEMORY", 3], ["KVM_CAP_NR_VCPUS", 9], ["KVM_CAP_NR_MEMSLOTS", 10],
    ["KVM_CAP_MP_STATE", 14], ["KVM_CAP_COALESCED_MMIO", 15], ["KVM_CAP_SYNC_MMU", 16],
    ["KVM_CAP_DESTROY_MEMORY_REGION_WORKS", 21], ["KVM_CAP_SET_GUEST_DEBUG", 23], ["KVM_CAP_IRQ_ROUTING", 25],
    ["KVM_CAP_JOIN_MEMORY_REGIONS_WORKS", 30], ["KVM_CAP_IRQFD", 32], ["KVM_CAP_IOEVENTFD", 36],
    ["KVM_CAP_INTERNAL_ERROR_DATA", 40], ["KVM_CAP_VCPU_EVENTS", 41], ["KVM_CAP_MAX_VCPUS", 66],
    ["KVM_CAP_ONE_REG", 70], ["KVM_CAP_SYNC_REGS", 74], ["KVM_CAP_SIGNAL_MSI", 77], ["KVM_CAP_READONLY_MEM", 81],
    ["KVM_CAP_IRQFD_RESAMPLE", 82], ["KVM_CAP_ARM_PSCI", 87], ["KVM_CAP_ARM_SET_DEVICE_ADDR", 88],
    ["KVM_CAP_DEVICE_CTRL", 89], ["KVM_CAP_ARM_EL1_32BIT", 93], ["KVM_CAP_ENABLE_CAP_VM", 98],
    ["KVM_CAP_ARM_PSCI_0_2", 102], ["KVM_CAP_CHECK_EXTENSION_VM", 105], ["KVM_CAP_MULTI_ADDRESS_SPACE", 118],
    ["KVM_CAP_IOEVENTFD_ANY_LENGTH", 122], ["KVM_CAP_ARM_PMU_V3", 126], ["KVM_CAP_MAX_VCPU_ID", 128],
    ["KVM_CAP_MSI_DEVID", 131], ["KVM_CAP_IMMEDIATE_EXIT", 136], ["KVM_CAP_ARM_USER_IRQ", 144],
    ["KVM_CAP_ARM_INJECT_SERROR_ESR", 158], ["KVM_CAP_COALESCED_PIO", 162], ["KVM_CAP_ARM_VM_IPA_SIZE", 165],
    ["KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2", 168], ["KVM_CAP_ARM_IRQ_LINE_LAYOUT_2", 174],
    ["KVM_CAP_ARM_NISV_TO_USER", 177], ["KVM_CAP_ARM_INJECT_EXT_DABT", 178],
  ];
  const table = caps as unknown as Record<string, number>;
  for (const [name, value] of want) assert.equal(table[name], value, name);
});

test("PowerPC capability numbers (ppc §1.3, §4.5)", () => {
  const want: [string, number][] = [
    ["KVM_CAP_PPC_SEGSTATE", 43], ["KVM_CAP_PPC_OSI", 52], ["KVM_CAP_PPC_UNSET_IRQ", 53], ["KVM_CAP_ENABLE_CAP", 54],
    ["KVM_CAP_PPC_GET_PVINFO", 57], ["KVM_CAP_PPC_IRQ_LEVEL", 58], ["KVM_CAP_PPC_SMT", 64], ["KVM_CAP_PPC_HIOR", 67],
    ["KVM_CAP_PPC_PAPR", 68], ["KVM_CAP_SW_TLB", 69], ["KVM_CAP_PPC_GET_SMMU_INFO", 78], ["KVM_CAP_PPC_EPR", 86],
    ["KVM_CAP_PPC_RTAS", 91], ["KVM_CAP_IRQ_XICS", 92], ["KVM_CAP_PPC_ENABLE_HCALL", 104], ["KVM_CAP_PPC_HTM", 132],
    ["KVM_CAP_PPC_MMU_RADIX", 134], ["KVM_CAP_PPC_FWNMI", 146], ["KVM_CAP_PPC_NESTED_HV", 160],
    ["KVM_CAP_PPC_GUEST_DEBUG_SSTEP", 176], ["KVM_CAP_PPC_SECURE_GUEST", 181], ["KVM_CAP_PPC_AIL_MODE_3", 210],
  ];
  const table = caps as unknown as Record<string, number>;
  for (const [name, value] of want) assert.equal(table[name], value, name);
});

test("exit reasons and codes (arm §4.2, ppc §4.2)", () => {
  assert.deepEqual(
    [x.KVM_EXIT_UNKNOWN, x.KVM_EXIT_DEBUG, x.KVM_EXIT_MMIO, x.KVM_EXIT_FAIL_ENTRY, x.KVM_EXIT_INTR, x.KVM_EXIT_DCR,
      x.KVM_EXIT_NMI, x.KVM_EXIT_INTERNAL_ERROR, x.KVM_EXIT_OSI, x.KVM_EXIT_PAPR_HCALL, x.KVM_EXIT_WATCHDOG,
      x.KVM_EXIT_EPR, x.KVM_EXIT_SYSTEM_EVENT, x.KVM_EXIT_ARM_NISV],
    [0, 4, 6, 9, 10, 15, 16, 17, 18, 19, 21, 23, 24, 28],
  );
  assert.deepEqual([x.KVM_SYSTEM_EVENT_SHUTDOWN, x.KVM_SYSTEM_EVENT_RESET, x.KVM_SYSTEM_EVENT_CRASH], [1, 2, 3]);
  assert.equal(x.KVM_MP_STATE_RUNNABLE, 0);
  assert.equal(x.KVM_MP_STATE_STOPPED, 5);
  assert.equal(x.KVM_MP_STATE_LOAD, 8);
});
