/**
 * An ioctl's argument as the kernel receives it: one `unsigned long` that is either an integer
 * (KVM_CREATE_VM's type, KVM_CREATE_VCPU's id, …) or a user pointer to the argument struct.
 *
 * The raw interface lets callers pass a pointer two ways (RawKvmHost.ioctl): a Uint8Array holding the
 * struct's bytes, or a host address (number/bigint) inside a live mapping. `copyIn`/`copyOut` are
 * copy_from_user/copy_to_user over either form; a failed copy is the caller's -EFAULT.
 *
 * A Uint8Array has no address, so where an integer is expected it reads as ~0UL: like a real pointer
 * it is non-zero and far above every valid id, capability or type, and gets the answer Linux gives a
 * pointer passed by mistake (-EINVAL, or 0 for KVM_CHECK_EXTENSION).
 */
import type { HostMemory } from "./host-memory.js";

export type RawIoctlArg = number | bigint | Uint8Array | undefined;

export class IoctlArg {
  constructor(
    private readonly raw: RawIoctlArg,
    private readonly mem: HostMemory,
    /** BITS_PER_LONG of the host: 32 on ARM32, 64 on ppc64. */
    private readonly longBits: 32 | 64,
  ) {}

  /** The argument as the kernel's `unsigned long`. */
  get value(): bigint {
    const raw = this.raw;
    if (raw === undefined) return 0n;
    if (typeof raw === "bigint") return BigInt.asUintN(this.longBits, raw);
    if (typeof raw === "number") {
      return Number.isFinite(raw) ? BigInt.asUintN(this.longBits, BigInt(Math.trunc(raw))) : 0n;
    }
    return BigInt.asUintN(this.longBits, -1n);
  }

  /** The argument as an int (the low 32 bits, signed), as `(int)arg` in the kernel. */
  get int(): number {
    return Number(BigInt.asIntN(32, this.value));
  }

  /** copy_from_user of the argument struct: a fresh copy of `size` bytes, or null (EFAULT). */
  copyIn(size: number): Uint8Array | null {
    const raw = this.raw;
    if (raw instanceof Uint8Array) return raw.length >= size ? raw.slice(0, size) : null;
    if (raw === undefined) return null;
    return this.mem.copyFromUser(raw, size);
  }

  /** copy_to_user of `data` to the argument struct: false (EFAULT) if it cannot be written. */
  copyOut(data: Uint8Array): boolean {
    const raw = this.raw;
    if (raw instanceof Uint8Array) {
      if (raw.length < data.length) return false;
      raw.set(data);
      return true;
    }
    if (raw === undefined) return false;
    return this.mem.copyToUser(raw, data);
  }

  /** copy_from_user from another user pointer (one held inside the argument struct). */
  copyFromPointer(ptr: bigint, size: number): Uint8Array | null {
    return this.mem.copyFromUser(ptr, size);
  }

  /** copy_to_user to another user pointer (one held inside the argument struct). */
  copyToPointer(ptr: bigint, data: Uint8Array): boolean {
    return this.mem.copyToUser(ptr, data);
  }
}

/** A little-endian DataView over bytes returned by copyIn (every host tskvm emulates is LE). */
export const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
