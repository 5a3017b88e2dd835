/**
 * The ARM Linux "kuser helpers" page (Documentation/arch/arm/kernel_user_helpers.rst): a read+exec
 * page at 0xffff0000 whose last 160 bytes hold small routines user code calls at fixed addresses.
 * Ours are plain ARMv7 instructions (assembled here) run by the emulated core like any other code:
 *
 *   0xffff0f60  __kuser_cmpxchg64      r0=&old, r1=&new, r2=ptr → r0=0 and C set if swapped
 *   0xffff0fa0  __kuser_memory_barrier
 *   0xffff0fc0  __kuser_cmpxchg        r0=old, r1=new, r2=ptr → r0=0 and C set if swapped
 *   0xffff0fe0  __kuser_get_tls        → r0 = TPIDRURO
 *   0xffff0ffc  __kuser_helper_version = 5 (number of 32-byte helper slots)
 */
import { PAGE_SIZE } from "../arch/arm/memory.js";
import { AddressSpace, PROT_EXEC, PROT_READ } from "./address-space.js";

export const KUSER_PAGE = 0xffff0000;
export const KUSER_CMPXCHG64 = 0xffff0f60;
export const KUSER_MEMORY_BARRIER = 0xffff0fa0;
export const KUSER_CMPXCHG = 0xffff0fc0;
export const KUSER_GET_TLS = 0xffff0fe0;
export const KUSER_HELPER_VERSION_ADDR = 0xffff0ffc;
export const KUSER_HELPER_VERSION = 5;

const AL = 0xe;
const EQ = 0x0;
const DMB_ISH = 0xf57ff05b;
const BX_LR = 0xe12fff1e;

/** B<cond> from the instruction at `from` to `to` (A1 encoding: offset relative to PC = from + 8). */
function branch(cond: number, from: number, to: number): number {
  return ((cond << 28) | (0b1010 << 24) | (((to - from - 8) >> 2) & 0xffffff)) >>> 0;
}

/** The helper routines as [address, instruction words]. */
export function kuserRoutines(): Array<[number, number[]]> {
  const cmpxchg64Loop = KUSER_CMPXCHG64 + 16;
  const cmpxchgLoop = KUSER_CMPXCHG + 4;
  return [
    [
      KUSER_CMPXCHG64,
      [
        DMB_ISH,
        0xe92d00f2, // push   {r1, r4-r7}        r1 must survive (only r3, lr, flags may change)
        0xe1c040d0, // ldrd   r4, r5, [r0]        expected value
        0xe1c160d0, // ldrd   r6, r7, [r1]        replacement
        0xe1b20f9f, // ldrexd r0, r1, [r2]        (loop)
        0xe0303004, // eors   r3, r0, r4
        0x00313005, // eorseq r3, r1, r5          r3 = 0 iff both halves match
        0x01a23f96, // strexdeq r3, r6, r7, [r2]  r3 = 1 if the exclusive store lost
        0x03330001, // teqeq  r3, #1
        branch(EQ, KUSER_CMPXCHG64 + 36, cmpxchg64Loop),
        0xe8bd00f2, // pop    {r1, r4-r7}
        0xe2730000, // rsbs   r0, r3, #0          r0 = 0 and C set only when r3 == 0
        DMB_ISH,
        BX_LR,
      ],
    ],
    [KUSER_MEMORY_BARRIER, [DMB_ISH, BX_LR]],
    [
      KUSER_CMPXCHG,
      [
        DMB_ISH,
        0xe1923f9f, // ldrex  r3, [r2]            (loop)
        0xe0533000, // subs   r3, r3, r0
        0x01823f91, // strexeq r3, r1, [r2]
        0x03330001, // teqeq  r3, #1
        branch(EQ, KUSER_CMPXCHG + 20, cmpxchgLoop),
        0xe2730000, // rsbs   r0, r3, #0
        branch(AL, KUSER_CMPXCHG + 28, KUSER_MEMORY_BARRIER), // barrier, then return from there
      ],
    ],
    [
      KUSER_GET_TLS,
      [
        0xee1d0f70, // mrc    p15, 0, r0, c13, c0, 3   (TPIDRURO)
        BX_LR,
      ],
    ],
  ];
}

/** The page's 4096 bytes. */
export function kuserPage(): Uint8Array {
  const page = new Uint8Array(PAGE_SIZE);
  const view = new DataView(page.buffer);
  // Fill the unused space with UDF so a stray jump into the page raises SIGILL.
  for (let at = 0; at < PAGE_SIZE; at += 4) view.setUint32(at, 0xe7fddef1, true);
  for (const [addr, words] of kuserRoutines()) {
    words.forEach((w, i) => view.setUint32(addr - KUSER_PAGE + i * 4, w, true));
  }
  view.setUint32(KUSER_HELPER_VERSION_ADDR - KUSER_PAGE, KUSER_HELPER_VERSION, true);
  return page;
}

/** Maps the helper page read+exec at 0xffff0000. */
export function mapKuserPage(space: AddressSpace): void {
  space.map(KUSER_PAGE, PAGE_SIZE, PROT_READ | PROT_EXEC);
  space.poke(KUSER_PAGE, kuserPage());
}
