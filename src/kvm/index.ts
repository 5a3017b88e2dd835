/** The emulated KVM kernel: createHost and the pieces architecture modules build on. */
export { createHost, EmulatedKvmHost, KVM_DEVICE_PATH, type HostOptions } from "./host.js";
export type { KvmArch, KvmArchVm, KvmArchVcpu } from "./arch.js";
export type { KvmDevice, KvmDeviceOps, DeviceAttr } from "./device.js";
export { GuestMemory, type GuestIo } from "./guest-memory.js";
export { HostMemory } from "./host-memory.js";
export type { KvmKernel } from "./kernel.js";
export { KvmVcpu, KVM_VCPU_MMAP_SIZE } from "./vcpu.js";
export { KvmVm } from "./vm.js";
export { IoctlArg } from "./uaccess.js";
