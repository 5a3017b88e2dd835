/**
 * tskvm's public entry point: the byte-exact KVM ABI as data, and createHost() — an emulated KVM
 * kernel behind the RawKvmHost system-call interface (open, close, ioctl, mmap, munmap).
 * The typed facade (Kvm, VmFd, VcpuFd, …) will be re-exported here once src/facade/index.ts exists.
 */
export * from "./abi/index.js";
export { createHost, EmulatedKvmHost, KVM_DEVICE_PATH, type HostOptions } from "./kvm/host.js";
