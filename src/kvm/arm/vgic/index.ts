/**
 * The in-kernel vGIC v2 (reference kvm-arm32-abi.md §3.3–§3.5, §3.8, §10): what the rest of KVM/ARM
 * imports. `Vgic` is the VM's interrupt controller; `vgicCreateCheck` the creation rules of
 * KVM_CREATE_IRQCHIP and KVM_CREATE_DEVICE(VGIC_V2).
 */
export { Vgic, vgicCreateCheck, type VgicHost, VGIC_NR_IRQS_DEFAULT } from "./vgic.js";
export { VGIC_MAX_CPUS } from "./state.js";
export { KVM_VGIC_V2_DIST_SIZE } from "./distributor.js";
export { KVM_VGIC_V2_CPU_SIZE } from "./cpu-interface.js";
