// The guest RAM a loader writes into: one contiguous range of guest-physical addresses backed by the
// host bytes the VMM registered as a memory slot (so writing here is writing guest memory).

export interface GuestRam {
  /** Guest-physical address of bytes[0]. */
  readonly base: number;
  readonly bytes: Uint8Array;
}

/** A loaded range of guest-physical addresses, end exclusive. */
export interface PhysicalRange {
  readonly start: number;
  readonly end: number;
}

/** An image that cannot be loaded; the message is meant for the user as it stands. */
export class LoaderError extends Error {
  override readonly name = "LoaderError";
}

/** Copies `data` to guest-physical `gpa`, or throws LoaderError naming `what` if it leaves RAM. */
export function writeGuest(ram: GuestRam, gpa: number, data: Uint8Array, what: string): PhysicalRange {
  const offset = gpa - ram.base;
  if (offset < 0 || offset + data.length > ram.bytes.length) {
    throw new LoaderError(
      `${what} (0x${gpa.toString(16)}..0x${(gpa + data.length).toString(16)}) does not fit in RAM ` +
        `0x${ram.base.toString(16)}..0x${(ram.base + ram.bytes.length).toString(16)}`,
    );
  }
  ram.bytes.set(data, offset);
  return { start: gpa, end: gpa + data.length };
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
