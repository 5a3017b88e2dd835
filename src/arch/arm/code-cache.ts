/**
 * Decoded code, cached per physical page and instruction set. A page holds one slot per halfword
 * (Thumb needs halfword granularity; A32 uses every other slot). Slot i is SLOT_WORDS words at
 * `slots[i * SLOT_WORDS]`: meta = executor id (bits 15..0) | condition (bits 19..16) | size in bytes
 * (bits 31..24), 0 = not decoded yet; then the four operands a, b, c, d. A page also holds the
 * blocks translated from its code. Pages (decoded slots and blocks together) are dropped when their
 * memory is written (the MMU routes writes to pages with code through its slow path) or on
 * `ArmCpu.invalidateCode`.
 */

import type { BlockFn } from "./jit/translate.js";

export const SLOTS_PER_PAGE = 2048;
export const SLOT_WORDS = 5;

export class CodePage {
  readonly slots = new Int32Array(SLOTS_PER_PAGE * SLOT_WORDS);
  /** Translated blocks by start slot (jit/translate.ts); null = not translated (yet). */
  readonly blocks: (BlockFn | null)[] = new Array<BlockFn | null>(SLOTS_PER_PAGE).fill(null);
  /** How often the run loop reached each slot as a block start with ITSTATE = 0 (untranslated). */
  readonly heat = new Int32Array(SLOTS_PER_PAGE);
  /** Virtual page the blocks were translated at (they hold virtual PCs); -1 = none yet. */
  blockVpn = -1;
  /** The page's words as they were when it was entered, and the live words (see `unchanged`). */
  private readonly snapshot: Int32Array;
  private readonly live: Int32Array;
  /** `CodeCache.icEpoch` this page was last found unchanged at. */
  checkedEpoch: number;
  constructor(
    /** where the page's bytes live (instruction fetch reads them little-endian) */
    readonly view: DataView,
    readonly base: number,
    readonly ppn: number,
    readonly thumb: boolean,
    epoch = 0,
  ) {
    const at = view.byteOffset + base;
    this.live = view.byteLength >= base + 4096 && at % 4 === 0 ? new Int32Array(view.buffer, at, 1024) : new Int32Array(0);
    this.snapshot = this.live.slice();
    this.checkedEpoch = epoch;
  }

  /**
   * Whether the page's memory still holds what was decoded. Stores by this CPU drop a page at once
   * (`codeWritten`); this check covers what the core cannot see — other vCPUs' stores and DMA by the
   * VMM's devices — at the point the architecture requires software to say so: instruction-cache
   * maintenance (ICIALLU, ICIALLUIS, ICIMVAU, BPIALL…) marks pages for this check instead of dropping
   * them, so a kernel that invalidates the whole I-cache on every executable mapping does not lose
   * all its decoded and translated code each time.
   */
  unchanged(): boolean {
    const a = this.live, b = this.snapshot;
    if (a.length !== 1024) return false;
    for (let i = 0; i < 1024; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}

export class CodeCache {
  private readonly pages = new Map<number, CodePage>();
  /** Bumped whenever a page is dropped, so holders of page references can notice. */
  epoch = 0;
  /** Bumped by instruction-cache invalidation: pages checked at an older value are re-checked before use. */
  icEpoch = 0;

  get(ppn: number, thumb: boolean): CodePage | undefined {
    return this.pages.get(ppn * 2 + (thumb ? 1 : 0));
  }

  add(page: CodePage): void {
    this.pages.set(page.ppn * 2 + (page.thumb ? 1 : 0), page);
  }

  has(ppn: number): boolean {
    return this.pages.has(ppn * 2) || this.pages.has(ppn * 2 + 1);
  }

  drop(ppn: number): void {
    if (this.pages.delete(ppn * 2) || this.pages.delete(ppn * 2 + 1)) this.epoch++;
    this.pages.delete(ppn * 2 + 1);
  }

  /** Mark the page(s) of `ppn` for the content check at their next use. */
  suspect(ppn: number): void {
    const a = this.pages.get(ppn * 2), t = this.pages.get(ppn * 2 + 1);
    if (a !== undefined) a.checkedEpoch = -1;
    if (t !== undefined) t.checkedEpoch = -1;
  }

  clear(): void {
    this.pages.clear();
    this.epoch++;
  }
}
