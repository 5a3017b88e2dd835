/**
 * The public ABI barrel. Architecture-specific modules whose names collide (ARM and PowerPC both have a
 * `kvm_regs`) are exported as namespaces: `arm.kvm_regs`, `ppc.kvm_regs`.
 */
export * from "./errno.js";
export * from "./ioctl.js";
export * from "./requests.js";
export * from "./capabilities.js";
export * from "./exits.js";
export * from "./struct.js";
export * from "./syscalls.js";
export * from "./eventfd.js";
export * from "./structs/memory.js";
export * from "./structs/run.js";
export * from "./structs/vcpu.js";
export * from "./structs/irq.js";
export * from "./structs/device.js";
export * as arm from "./structs/arm.js";
export * as ppc from "./structs/ppc.js";
export * from "./one-reg.js";
export * from "./one-reg-arm.js";
export * from "./one-reg-ppc.js";
