// Request numbers checked against kvm-arm32-abi.md §1.1–1.3 and kvm-ppc-abi.md §1.4 (values copied
// from the reference tables, not computed).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ARM_REQUESTS, PPC_REQUESTS, REQUEST_SPECS, buildRequests, requestExists, requestNames, type KvmRequestName,
} from "../../src/abi/requests.js";
import { GENERIC_IOCTL, POWERPC_IOCTL, _IOC_DIR, _IOC_NR, _IOC_SIZE, _IOC_TYPE, ioctlReadsArg, ioctlWritesArg } from "../../src/abi/ioctl.js";

const ARM_TABLE: [KvmRequestName, number][] = [
  // §1.1
  ["KVM_GET_API_VERSION", 0x0000ae00],
  ["KVM_CREATE_VM", 0x0000ae01],
  ["KVM_CHECK_EXTENSION", 0x0000ae03],
  ["KVM_GET_VCPU_MMAP_SIZE", 0x0000ae04],
  // §1.2
  ["KVM_CREATE_VCPU", 0x0000ae41],
  ["KVM_GET_DIRTY_LOG", 0x4010ae42],
  ["KVM_SET_USER_MEMORY_REGION", 0x4020ae46],
  ["KVM_CREATE_IRQCHIP", 0x0000ae60],
  ["KVM_IRQ_LINE", 0x4008ae61],
  ["KVM_IRQ_LINE_STATUS", 0xc008ae67],
  ["KVM_REGISTER_COALESCED_MMIO", 0x4010ae67],
  ["KVM_UNREGISTER_COALESCED_MMIO", 0x4010ae68],
  ["KVM_SET_GSI_ROUTING", 0x4008ae6a],
  ["KVM_IRQFD", 0x4020ae76],
  ["KVM_IOEVENTFD", 0x4040ae79],
  ["KVM_ENABLE_CAP", 0x4068aea3],
  ["KVM_SIGNAL_MSI", 0x4020aea5],
  ["KVM_ARM_SET_DEVICE_ADDR", 0x4010aeab],
  ["KVM_ARM_PREFERRED_TARGET", 0x8020aeaf],
  ["KVM_CLEAR_DIRTY_LOG", 0xc018aec0],
  ["KVM_CREATE_DEVICE", 0xc00caee0],
  // §1.3
  ["KVM_RUN", 0x0000ae80],
  ["KVM_GET_REGS", 0x8098ae81],
  ["KVM_SET_REGS", 0x4098ae82],
  ["KVM_GET_SREGS", 0x8000ae83],
  ["KVM_SET_SREGS", 0x4000ae84],
  ["KVM_TRANSLATE", 0xc018ae85],
  ["KVM_SET_SIGNAL_MASK", 0x4004ae8b],
  ["KVM_GET_FPU", 0x8000ae8c],
  ["KVM_SET_FPU", 0x4000ae8d],
  ["KVM_GET_MP_STATE", 0x8004ae98],
  ["KVM_SET_MP_STATE", 0x4004ae99],
  ["KVM_SET_GUEST_DEBUG", 0x4008ae9b],
  ["KVM_GET_VCPU_EVENTS", 0x8040ae9f],
  ["KVM_SET_VCPU_EVENTS", 0x4040aea0],
  ["KVM_GET_ONE_REG", 0x4010aeab],
  ["KVM_SET_ONE_REG", 0x4010aeac],
  ["KVM_ARM_VCPU_INIT", 0x4020aeae],
  ["KVM_GET_REG_LIST", 0xc008aeb0],
  ["KVM_ARM_VCPU_FINALIZE", 0x4004aec2],
  ["KVM_SET_DEVICE_ATTR", 0x4018aee1],
  ["KVM_GET_DEVICE_ATTR", 0x4018aee2],
  ["KVM_HAS_DEVICE_ATTR", 0x4018aee3],
];

// [name, powerpc value, generic value] — kvm-ppc-abi.md §1.4
const PPC_TABLE: [KvmRequestName, number, number][] = [
  ["KVM_GET_API_VERSION", 0x2000ae00, 0x0000ae00],
  ["KVM_CREATE_VM", 0x2000ae01, 0x0000ae01],
  ["KVM_CHECK_EXTENSION", 0x2000ae03, 0x0000ae03],
  ["KVM_GET_VCPU_MMAP_SIZE", 0x2000ae04, 0x0000ae04],
  ["KVM_CREATE_VCPU", 0x2000ae41, 0x0000ae41],
  ["KVM_SET_USER_MEMORY_REGION", 0x8020ae46, 0x4020ae46],
  ["KVM_RUN", 0x2000ae80, 0x0000ae80],
  ["KVM_GET_REGS", 0x4188ae81, 0x8188ae81],
  ["KVM_SET_REGS", 0x8188ae82, 0x4188ae82],
  ["KVM_GET_SREGS", 0x44d0ae83, 0x84d0ae83],
  ["KVM_SET_SREGS", 0x84d0ae84, 0x44d0ae84],
  ["KVM_INTERRUPT", 0x8004ae86, 0x4004ae86],
  ["KVM_GET_FPU", 0x4100ae8c, 0x8100ae8c],
  ["KVM_SET_FPU", 0x8100ae8d, 0x4100ae8d],
  ["KVM_SET_GUEST_DEBUG", 0x8108ae9b, 0x4108ae9b],
  ["KVM_PPC_GET_PVINFO", 0x8080aea1, 0x4080aea1],
  ["KVM_ENABLE_CAP", 0x8068aea3, 0x4068aea3],
  ["KVM_PPC_GET_SMMU_INFO", 0x4250aea6, 0x8250aea6],
  ["KVM_PPC_ALLOCATE_HTAB", 0xc004aea7, 0xc004aea7],
  ["KVM_CREATE_SPAPR_TCE", 0x8010aea8, 0x4010aea8],
  ["KVM_CREATE_SPAPR_TCE_64", 0x8020aea8, 0x4020aea8],
  ["KVM_ALLOCATE_RMA", 0x4008aea9, 0x8008aea9],
  ["KVM_PPC_GET_HTAB_FD", 0x8020aeaa, 0x4020aeaa],
  ["KVM_DIRTY_TLB", 0x8010aeaa, 0x4010aeaa],
  ["KVM_GET_ONE_REG", 0x8010aeab, 0x4010aeab],
  ["KVM_SET_ONE_REG", 0x8010aeac, 0x4010aeac],
  ["KVM_PPC_RTAS_DEFINE_TOKEN", 0x8080aeac, 0x4080aeac],
  ["KVM_PPC_RESIZE_HPT_PREPARE", 0x4010aead, 0x8010aead],
  ["KVM_PPC_RESIZE_HPT_COMMIT", 0x4010aeae, 0x8010aeae],
  ["KVM_PPC_CONFIGURE_V3_MMU", 0x8010aeaf, 0x4010aeaf],
  ["KVM_PPC_GET_RMMU_INFO", 0x8060aeb0, 0x4060aeb0],
  ["KVM_PPC_GET_CPU_CHAR", 0x4020aeb1, 0x8020aeb1],
  ["KVM_PPC_SVM_OFF", 0x2000aeb3, 0x0000aeb3],
  ["KVM_CREATE_DEVICE", 0xc00caee0, 0xc00caee0],
  ["KVM_SET_DEVICE_ATTR", 0x8018aee1, 0x4018aee1],
  ["KVM_GET_DEVICE_ATTR", 0x8018aee2, 0x4018aee2],
  ["KVM_HAS_DEVICE_ATTR", 0x8018aee3, 0x4018aee3],
];

test("ARM request numbers match reference §1.1–1.3", () => {
  for (const [name, value] of ARM_TABLE) {
    assert.equal(ARM_REQUESTS[name], value, `${name}: 0x${ARM_REQUESTS[name].toString(16)} != 0x${value.toString(16)}`);
    assert.ok(requestExists(name, "arm"), `${name} exists on ARM`);
  }
});

test("PowerPC request numbers match reference §1.4, powerpc column", () => {
  for (const [name, value] of PPC_TABLE) {
    assert.equal(PPC_REQUESTS[name], value, `${name}: 0x${PPC_REQUESTS[name].toString(16)} != 0x${value.toString(16)}`);
    assert.ok(requestExists(name, "ppc"), `${name} exists on PowerPC`);
  }
});

test("PowerPC structs with the generic encoding give the reference §1.4 generic column", () => {
  const generic = buildRequests(GENERIC_IOCTL, "ppc");
  for (const [name, , value] of PPC_TABLE) assert.equal(generic[name], value, name);
});

test("KVM_PPC_SET_PLATFORM is _IOW(KVMIO, 0xf0, 8 bytes) on powerpc", () => {
  // Reference §1.4: "_IOW of it on powerpc would be 0x8008AE00 | nr".
  assert.equal(PPC_REQUESTS.KVM_PPC_SET_PLATFORM, (0x8008ae00 | 0xf0) >>> 0);
  assert.ok(!requestExists("KVM_PPC_SET_PLATFORM", "arm"));
  // Not shared with any other request on the host (mainline never assigned 0xf0 in KVMIO).
  assert.deepEqual(requestNames(PPC_REQUESTS, PPC_REQUESTS.KVM_PPC_SET_PLATFORM), ["KVM_PPC_SET_PLATFORM"]);
  for (const s of Object.values(REQUEST_SPECS)) if (s !== REQUEST_SPECS.KVM_PPC_SET_PLATFORM) assert.notEqual(s.nr, 0xf0);
});

test("ARM-only and PowerPC-only requests are marked as such", () => {
  for (const n of ["KVM_ARM_VCPU_INIT", "KVM_ARM_PREFERRED_TARGET", "KVM_ARM_SET_DEVICE_ADDR", "KVM_GET_REG_LIST", "KVM_GET_VCPU_EVENTS"] as const) {
    assert.ok(requestExists(n, "arm") && !requestExists(n, "ppc"), n);
  }
  for (const n of ["KVM_PPC_GET_PVINFO", "KVM_PPC_GET_SMMU_INFO", "KVM_CREATE_SPAPR_TCE", "KVM_PPC_SVM_OFF"] as const) {
    assert.ok(requestExists(n, "ppc") && !requestExists(n, "arm"), n);
  }
});

test("KVM_ARM_SET_DEVICE_ADDR and KVM_GET_ONE_REG share one value on ARM (§1.2 note)", () => {
  assert.equal(ARM_REQUESTS.KVM_ARM_SET_DEVICE_ADDR, 0x4010aeab);
  assert.deepEqual(requestNames(ARM_REQUESTS, 0x4010aeab).sort(), ["KVM_ARM_SET_DEVICE_ADDR", "KVM_GET_ONE_REG"]);
});

test("ioctl field decoders on both encodings", () => {
  // KVM_GET_REGS on ppc: dir READ (2) at bit 29, size 392, type 0xAE, nr 0x81
  const r = PPC_REQUESTS.KVM_GET_REGS;
  assert.equal(_IOC_DIR(POWERPC_IOCTL, r), 2);
  assert.equal(_IOC_SIZE(POWERPC_IOCTL, r), 392);
  assert.equal(_IOC_TYPE(r), 0xae);
  assert.equal(_IOC_NR(r), 0x81);
  assert.ok(ioctlWritesArg(POWERPC_IOCTL, r) && !ioctlReadsArg(POWERPC_IOCTL, r));
  const w = ARM_REQUESTS.KVM_SET_ONE_REG;
  assert.equal(_IOC_DIR(GENERIC_IOCTL, w), 1);
  assert.ok(ioctlReadsArg(GENERIC_IOCTL, w) && !ioctlWritesArg(GENERIC_IOCTL, w));
  const rw = ARM_REQUESTS.KVM_GET_REG_LIST;
  assert.ok(ioctlReadsArg(GENERIC_IOCTL, rw) && ioctlWritesArg(GENERIC_IOCTL, rw));
  assert.equal(_IOC_DIR(POWERPC_IOCTL, PPC_REQUESTS.KVM_RUN), 1); // _IOC_NONE is 1 on powerpc
});
