/**
 * ONE_REG register ids, the parts every architecture shares (include/uapi/linux/kvm.h): a 64-bit id
 * holding the architecture in bits 63..56, the value size in bits 55..52 and an architecture-specific
 * register number below. Ids are bigints. Reference kvm-arm32-abi.md §5.1, kvm-ppc-abi.md §3.
 */
export const KVM_REG_ARCH_MASK = 0xff00000000000000n;
export const KVM_REG_GENERIC = 0x0000000000000000n;
export const KVM_REG_PPC = 0x1000000000000000n;
export const KVM_REG_X86 = 0x2000000000000000n;
export const KVM_REG_IA64 = 0x3000000000000000n;
export const KVM_REG_ARM = 0x4000000000000000n;
export const KVM_REG_S390 = 0x5000000000000000n;
export const KVM_REG_ARM64 = 0x6000000000000000n;
export const KVM_REG_MIPS = 0x7000000000000000n;
export const KVM_REG_RISCV = 0x8000000000000000n;

export const KVM_REG_SIZE_SHIFT = 52n;
export const KVM_REG_SIZE_MASK = 0x00f0000000000000n;
export const KVM_REG_SIZE_U8 = 0x0000000000000000n;
export const KVM_REG_SIZE_U16 = 0x0010000000000000n;
export const KVM_REG_SIZE_U32 = 0x0020000000000000n;
export const KVM_REG_SIZE_U64 = 0x0030000000000000n;
export const KVM_REG_SIZE_U128 = 0x0040000000000000n;
export const KVM_REG_SIZE_U256 = 0x0050000000000000n;
export const KVM_REG_SIZE_U512 = 0x0060000000000000n;
export const KVM_REG_SIZE_U1024 = 0x0070000000000000n;
export const KVM_REG_SIZE_U2048 = 0x0080000000000000n;

/** Bytes of the value a register id names: 1 << size code. */
export function KVM_REG_SIZE(id: bigint): number {
  return 1 << Number((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
}

/** The size code (KVM_REG_SIZE_U*) for a value of `bytes` bytes (a power of two, 1..256). */
export function kvmRegSizeCode(bytes: number): bigint {
  const log = Math.log2(bytes);
  if (!Number.isInteger(log) || log < 0 || log > 8) throw new RangeError(`no ONE_REG size class for ${bytes} bytes`);
  return BigInt(log) << KVM_REG_SIZE_SHIFT;
}

/** Normalises an id given as number or bigint to an unsigned 64-bit bigint. */
export const kvmRegId = (id: bigint | number): bigint => BigInt.asUintN(64, BigInt(id));
