// ARM kvm_regs (kvm-arm32-abi.md §5.2) and the PowerPC structs (kvm-ppc-abi.md §1, §2, §5.2, §7.4).
import { test } from "node:test";
import assert from "node:assert/strict";
import { assertLayout } from "./layout.js";
import * as arm from "../../src/abi/structs/arm.js";
import * as ppc from "../../src/abi/structs/ppc.js";

test("ARM kvm_regs: 152 bytes, banks at the §5.2 word indices", () => {
  assertLayout(arm.kvm_regs, 152, {
    usr_regs: [0, 72], // indices 0..17
    svc_regs: [72, 12], // 18..20
    abt_regs: [84, 12], // 21..23
    und_regs: [96, 12], // 24..26
    irq_regs: [108, 12], // 27..29
    fiq_regs: [120, 32], // 30..37
  });
  assert.equal(arm.KVM_ARM_NUM_CORE_REGS, 38);
  assert.equal(arm.KVM_ARM_RESET_CPSR, 0x1d3);
});

test("PowerPC kvm_regs (§2.1)", () => {
  const expected: Record<string, [number, number]> = {
    pc: [0, 8], cr: [8, 8], ctr: [16, 8], lr: [24, 8], xer: [32, 8], msr: [40, 8], srr0: [48, 8], srr1: [56, 8],
    pid: [64, 8], gpr: [136, 256],
  };
  for (let i = 0; i < 8; i++) expected[`sprg${i}`] = [72 + 8 * i, 8];
  assertLayout(ppc.kvm_regs, 392, expected);
});

test("PowerPC kvm_sregs Book3S arm (§2.2)", () => {
  assertLayout(ppc.kvm_sregs, 1232, {
    pvr: [0, 4], sdr1: [8, 8], slb: [16, 1024], sr: [1040, 64], ibat: [1104, 64], dbat: [1168, 64],
  });
  assert.equal(ppc.kvmSregsSlbe(0), 16);
  assert.equal(ppc.kvmSregsSlbv(0), 24);
  assert.equal(ppc.kvmSregsSlbe(63), 16 + 16 * 63);
  assert.equal(ppc.kvmSregsSlbv(63), 24 + 16 * 63);
  assert.equal(ppc.SLB_ESID_V, 0x08000000n);
});

test("PowerPC kvm_sregs BookE arm (§2.2 table)", () => {
  const c = ppc.kvm_sregs_booke;
  assert.equal(c.size, 1232);
  const o = c.offsets as Record<string, number>;
  const table: [string, number][] = [
    ["fsl_features", 8], ["fsl_svr", 12], ["fsl_mcar", 16], ["fsl_hid0", 24], ["fsl_pid1", 28], ["fsl_pid2", 32],
    ["features", 264], ["impl_id", 268], ["update_special", 272], ["pir", 276], ["sprg8", 280], ["sprg9", 288],
    ["csrr0", 296], ["dsrr0", 304], ["mcsrr0", 312], ["csrr1", 320], ["dsrr1", 324], ["mcsrr1", 328], ["esr", 332],
    ["dear", 336], ["ivpr", 344], ["mcivpr", 352], ["mcsr", 360], ["tsr", 368], ["tcr", 372], ["decar", 376],
    ["dec", 380], ["tb", 384], ["dbsr", 392], ["dbcr", 396], ["iac", 408], ["dac", 424], ["dvc", 432],
    ["num_iac", 440], ["num_dac", 441], ["num_dvc", 442], ["epr", 444], ["vrsave", 448], ["epcr", 452],
    ["mas0", 456], ["mas1", 460], ["mas2", 464], ["mas7_3", 472], ["mas4", 480], ["mas6", 484],
    ["ivor_low", 488], ["ivor_high", 552], ["mmucfg", 624], ["eptcfg", 628], ["tlbcfg", 632], ["tlbps", 648],
    ["eplc", 664], ["epsc", 668],
  ];
  for (const [name, off] of table) assert.equal(o[name], off, name);
  assert.equal(ppc.KVM_SREGS_E_PM, 1 << 14);
  assert.equal(ppc.KVM_SREGS_E_UPDATE_DBSR, 1 << 3);
});

test("PowerPC small structs (§1.1, §1.4 sizes, §5.2, §7.4)", () => {
  assertLayout(ppc.kvm_fpu, 256, { fpr: [0, 256] });
  assertLayout(ppc.kvm_ppc_set_platform, 8, { platform: [0, 2], guest_arch: [2, 2], flags: [4, 4] });
  assert.deepEqual([ppc.KVM_PPC_PV_NONE, ppc.KVM_PPC_PV_KVM, ppc.KVM_PPC_PV_SPAPR, ppc.KVM_PPC_CROSS_ARCH], [0, 1, 2, 1]);
  assertLayout(ppc.kvm_ppc_pvinfo, 128, { flags: [0, 4], hcall: [4, 16], pad: [20, 108] });
  assert.equal(ppc.KVM_PPC_PVINFO_FLAGS_EV_IDLE, 1);
  assertLayout(ppc.kvm_rtas_token_args, 128, { name: [0, 120], token: [120, 8] });
  const smmu = ppc.kvm_ppc_smmu_info;
  assert.equal(smmu.size, 592);
  assert.deepEqual(smmu.offsets, { flags: 0, slb_size: 8, data_keys: 12, instr_keys: 14, sps: 16 });
  const sizes: [{ size: number; name: string }, number][] = [
    [ppc.kvm_create_spapr_tce, 16], [ppc.kvm_create_spapr_tce_64, 32], [ppc.kvm_allocate_rma, 8],
    [ppc.kvm_get_htab_fd, 32], [ppc.kvm_ppc_mmuv3_cfg, 16], [ppc.kvm_ppc_rmmu_info, 96],
    [ppc.kvm_ppc_cpu_char, 32], [ppc.kvm_ppc_resize_hpt, 16], [ppc.kvm_dirty_tlb, 16], [ppc.kvm_guest_debug_ppc, 264],
  ];
  for (const [c, n] of sizes) assert.equal(c.size, n, c.name);
  assert.equal(ppc.kvmGuestDebugBpAddr(15) + 16, 264);
});
