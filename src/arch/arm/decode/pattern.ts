/**
 * Declarative instruction decoding: each encoding group is a table of bit patterns written the way
 * the ARM ARM draws encodings, e.g.
 *
 *     "cccc 000o oooS nnnn dddd iiii itt0 mmmm"
 *
 * '0'/'1' are fixed bits, '-' is "don't care", any other character names a field; the bits of one
 * letter are concatenated most significant first. Spaces are ignored. A pattern's `build` turns the
 * fields into the cached form of the instruction — an executor id and up to four integer operands
 * (`Decoded`) — or returns false to let later patterns try (encoding constraints such as "Rn != 1111").
 *
 * The table picks candidates through a 256-way index on 8 chosen bits, then matches in order: the
 * first pattern that matches and builds wins. Decoding happens once per cached instruction, so this
 * may allocate; executing never does.
 */

export type Fields = Record<string, number>;

/** The cached form of one instruction. */
export class Decoded {
  op = 0;
  cond = 14;
  size = 4;
  a = 0;
  b = 0;
  c = 0;
  d = 0;
  set(op: number, a = 0, b = 0, c = 0, d = 0): true {
    this.op = op;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return true;
  }
}

export type Build = (f: Fields, out: Decoded, word: number) => boolean | void;

interface FieldSlice {
  name: string;
  shift: number;
  width: number;
}

interface Pattern {
  text: string;
  mask: number;
  value: number;
  slices: FieldSlice[];
  build: Build;
}

export class DecodeTable {
  private readonly patterns: Pattern[] = [];
  private index: Pattern[][] | null = null;
  private readonly fields: Fields = {};

  /** `keyShift`: the index uses bits keyShift+7 .. keyShift of the word. */
  constructor(private readonly keyShift: number, private readonly width = 32) {}

  add(text: string, build: Build): this {
    const bits = text.replace(/ /g, "");
    if (bits.length !== this.width) throw new Error(`pattern "${text}" is not ${this.width} bits`);
    let mask = 0, value = 0;
    const slices: FieldSlice[] = [];
    for (let i = 0; i < bits.length; i++) {
      const ch = bits[i], bit = this.width - 1 - i;
      if (ch === "0" || ch === "1") {
        mask |= 1 << bit;
        if (ch === "1") value |= 1 << bit;
      } else if (ch !== "-") {
        const last = slices[slices.length - 1];
        if (last && last.name === ch && last.shift === bit + 1) {
          last.shift = bit;
          last.width++;
        } else slices.push({ name: ch, shift: bit, width: 1 });
      }
    }
    this.patterns.push({ text, mask: mask | 0, value: value | 0, slices, build });
    this.index = null;
    return this;
  }

  private buildIndex(): Pattern[][] {
    const index: Pattern[][] = [];
    const keyMask = (0xff << this.keyShift) | 0;
    for (let k = 0; k < 256; k++) {
      const key = (k << this.keyShift) | 0;
      index.push(this.patterns.filter((p) => ((key ^ p.value) & p.mask & keyMask) === 0));
    }
    return index;
  }

  /** Decode `word` into `out`; false if no pattern accepts it (the caller makes it UNDEFINED). */
  decode(word: number, out: Decoded): boolean {
    const index = this.index ?? (this.index = this.buildIndex());
    const candidates = index[(word >>> this.keyShift) & 0xff];
    const f = this.fields;
    for (let i = 0; i < candidates.length; i++) {
      const p = candidates[i];
      if (((word ^ p.value) & p.mask) !== 0) continue;
      for (const s of p.slices) f[s.name] = 0;
      for (const s of p.slices) f[s.name] = (f[s.name] << s.width) | ((word >>> s.shift) & ((1 << s.width) - 1));
      if (p.build(f, out, word) !== false) return true;
    }
    return false;
  }
}
