/** The typed KVM facade: Kvm → VmFd → VcpuFd / DeviceFd, errors as KvmError. */
export { Kvm } from "./kvm.js";
export { VmFd, bitmapBytes, type UserMemoryRegion, type GsiRoute, type Ioeventfd } from "./vm.js";
export { VcpuFd, type VcpuInit, type ArmKvmRegs, type PpcKvmRegs, type PpcKvmSregs, type KvmVcpuEvents } from "./vcpu.js";
export { DeviceFd, type DeviceAttr, type DeviceAttrValue } from "./device.js";
export { KvmRun, type CoalescedMmio } from "./run.js";
export { KvmError } from "./error.js";
export { EventFd } from "./eventfd.js";
