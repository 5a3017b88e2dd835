/**
 * eventfd(2) as the ABI defines it (include/linux/eventfd.h, fs/eventfd.c; the flag values are
 * O_CLOEXEC / O_NONBLOCK of arm, x86 and powerpc): the flags of eventfd2 and the 8-byte counter
 * that read(2) and write(2) move. Imports nothing.
 */

/** Each read returns 1 and decrements the counter by 1 (instead of returning and zeroing it). */
export const EFD_SEMAPHORE = 1 << 0;
/** O_CLOEXEC (02000000). */
export const EFD_CLOEXEC = 0o2000000;
/** O_NONBLOCK (04000): a read of a zero counter, or a write that would overflow it, is EAGAIN. */
export const EFD_NONBLOCK = 0o4000;
/** Every flag eventfd2 accepts (EFD_FLAGS_SET); anything else is EINVAL. */
export const EFD_FLAGS_SET = EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK;

/** read/write move exactly one u64 in host byte order; a shorter buffer is EINVAL. */
export const EVENTFD_VALUE_SIZE = 8;
/** ULLONG_MAX: the counter never reaches it; writing it is EINVAL. */
export const EVENTFD_ULLONG_MAX = 0xffff_ffff_ffff_ffffn;
