/**
 * Dirty-page logging: KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG and the manual-protect mode
 * (KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2). Reference kvm-arm32-abi.md §3.7; kernel
 * kvm_get_dirty_log_protect / kvm_clear_dirty_log_protect (virt/kvm/kvm_main.c, v5.4).
 *
 * Bits are set by GuestMemory.lookup on write lookups. "Write-protecting a page again" is, for the
 * emulated MMU, bumping the memory generation: the CPU refills its TLB and its next write to the page
 * comes back through lookup, which marks it dirty again.
 */
import { EFAULT, EINVAL, ENOENT } from "../abi/errno.js";
import { kvm_clear_dirty_log, kvm_dirty_log } from "../abi/structs/memory.js";
import { KVM_ADDRESS_SPACE_NUM, dirtyBitmapBytes, type Memslots } from "./memslots.js";
import { viewOf, type IoctlArg } from "./uaccess.js";

export interface DirtyLogState {
  readonly slots: Memslots;
  readonly userMemSlots: number;
  readonly longBits: 32 | 64;
  /** kvm->manual_dirty_log_protect (set by KVM_ENABLE_CAP(MANUAL_DIRTY_LOG_PROTECT2)). */
  manualDirtyLogProtect: boolean;
}

/** KVM_GET_DIRTY_LOG. */
export function getDirtyLog(vm: DirtyLogState, arg: IoctlArg): number {
  const bytes = arg.copyIn(kvm_dirty_log.size);
  if (bytes === null) return -EFAULT;
  const log = kvm_dirty_log.read(viewOf(bytes));
  const asId = log.slot >>> 16;
  const id = log.slot & 0xffff;
  if (asId >= KVM_ADDRESS_SPACE_NUM || id >= vm.userMemSlots) return -EINVAL;
  const slot = vm.slots.slot(id);
  const bitmap = slot?.dirtyBitmap ?? null;
  if (slot === undefined || bitmap === null) return -ENOENT;
  const n = dirtyBitmapBytes(slot.npages, vm.longBits);
  if (vm.manualDirtyLogProtect) {
    return arg.copyToPointer(log.dirty_bitmap, bitmap.subarray(0, n)) ? 0 : -EFAULT;
  }
  // Snapshot and clear (the kernel clears before copying out: the bits are gone even on EFAULT).
  const snapshot = bitmap.slice(0, n);
  let flush = false;
  for (let i = 0; i < n; i++) {
    if (bitmap[i] !== 0) {
      flush = true;
      bitmap[i] = 0;
    }
  }
  if (flush) vm.slots.bump();
  return arg.copyToPointer(log.dirty_bitmap, snapshot) ? 0 : -EFAULT;
}

/** KVM_CLEAR_DIRTY_LOG (_IOWR: the struct is copied back unchanged). */
export function clearDirtyLog(vm: DirtyLogState, arg: IoctlArg): number {
  const bytes = arg.copyIn(kvm_clear_dirty_log.size);
  if (bytes === null) return -EFAULT;
  const log = kvm_clear_dirty_log.read(viewOf(bytes));
  const asId = log.slot >>> 16;
  const id = log.slot & 0xffff;
  if (asId >= KVM_ADDRESS_SPACE_NUM || id >= vm.userMemSlots) return -EINVAL;
  if ((log.first_page & 63n) !== 0n) return -EINVAL;
  const slot = vm.slots.slot(id);
  const bitmap = slot?.dirtyBitmap ?? null;
  if (slot === undefined || bitmap === null) return -ENOENT;
  const npages = BigInt(slot.npages);
  const num = BigInt(log.num_pages);
  if (log.first_page > npages || num > npages - log.first_page) return -EINVAL;
  if (num < npages - log.first_page && (num & 63n) !== 0n) return -EINVAL;

  const first = Number(log.first_page);
  const count = log.num_pages;
  // The kernel copies ALIGN(num_pages, BITS_PER_LONG)/8 bytes of the user bitmap.
  const n = dirtyBitmapBytes(count, vm.longBits);
  const mask = arg.copyFromPointer(log.dirty_bitmap, n);
  if (mask === null) return -EFAULT;
  // first_page is a multiple of 64, so user bit i is slot bit first+i at the same bit position.
  const base = first >>> 3;
  let flush = false;
  for (let i = 0; i < n && base + i < bitmap.length; i++) {
    const cleared = bitmap[base + i]! & mask[i]!;
    if (cleared !== 0) {
      bitmap[base + i] = bitmap[base + i]! & ~mask[i]!;
      flush = true;
    }
  }
  if (flush) vm.slots.bump();
  return arg.copyOut(bytes) ? 0 : -EFAULT;
}

/** KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2): flags must be 0 and args[0] 0 or 1. */
export function enableManualDirtyLogProtect(vm: DirtyLogState, flags: number, args: readonly bigint[]): number {
  const a0 = args[0] ?? 0n;
  if (flags !== 0 || (a0 & ~1n) !== 0n) return -EINVAL;
  vm.manualDirtyLogProtect = a0 === 1n;
  return 0;
}
