/**
 * tskvm's public entry point: the byte-exact KVM ABI as data, and createHost() — an emulated KVM
 * kernel behind the RawKvmHost system-call interface (open, close, ioctl, mmap, munmap).
 * and the typed facade over it (Kvm, VmFd, VcpuFd, DeviceFd, KvmRun, KvmError).
 */
export * from "./abi/index.js";
export { createHost, EmulatedKvmHost, KVM_DEVICE_PATH, type HostOptions } from "./kvm/host.js";
export * from "./facade/index.js";
