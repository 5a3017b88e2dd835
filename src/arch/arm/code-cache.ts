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
  constructor(
    /** where the page's bytes live (instruction fetch reads them little-endian) */
    readonly view: DataView,
    readonly base: number,
    readonly ppn: number,
    readonly thumb: boolean,
  ) {}
}

export class CodeCache {
  private readonly pages = new Map<number, CodePage>();
  /** Bumped whenever a page is dropped, so holders of page references can notice. */
  epoch = 0;

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

  clear(): void {
    this.pages.clear();
    this.epoch++;
  }
}
