/**
 * tskvm's public entry point: the byte-exact KVM ABI as data, createHost() — an emulated KVM kernel
 * behind the RawKvmHost system-call interface (open, close, ioctl, mmap, munmap) — and the typed facade
 * (Kvm, VmFd, VcpuFd, DeviceFd, KvmRun, KvmError) that works over any RawKvmHost.
 */
export * from "./abi/index.js";
export * from "./facade/index.js";
export { createHost, EmulatedKvmHost, KVM_DEVICE_PATH, type HostOptions } from "./kvm/host.js";
