/**
 * A fake guest for virtio tests: RAM as a RamGuestMemory at 0x40000000, a driver that programs a
 * virtio-mmio transport through its registers (virtio 1.x §4.2.3 initialization sequence) and
 * hand-built split rings (§2.6: 16-byte descriptors, available ring at +0x1000, used ring at +0x2000).
 */
import { RamGuestMemory } from "../../../src/devices/bus.js";
import type { VirtioMmioTransport } from "../../../src/devices/virtio/mmio.js";

export const RAM_BASE = 0x4000_0000;
export const DESC = RAM_BASE + 0x0000;
export const AVAIL = RAM_BASE + 0x1000;
export const USED = RAM_BASE + 0x2000;
export const INDIRECT = RAM_BASE + 0x3000;
export const DATA = RAM_BASE + 0x10000;

export function guestRam(): RamGuestMemory {
  return new RamGuestMemory(RAM_BASE, new Uint8Array(0x100000));
}

export interface Desc {
  addr: number;
  len: number;
  flags: number;
  next?: number;
}

/** Writes descriptors to the table at `table` starting at `first`. */
export function writeDescs(mem: RamGuestMemory, table: number, first: number, descs: Desc[]): void {
  descs.forEach((d, i) => {
    const at = table + 16 * (first + i);
    mem.writeU32(at, d.addr % 2 ** 32);
    mem.writeU32(at + 4, Math.floor(d.addr / 2 ** 32));
    mem.writeU32(at + 8, d.len);
    mem.writeU16(at + 12, d.flags);
    mem.writeU16(at + 14, d.next ?? 0);
  });
}

/** Makes chain heads available (ring slots from the current avail idx) and bumps the index. */
export function makeAvailable(mem: RamGuestMemory, size: number, heads: number[]): void {
  let idx = mem.readU16(AVAIL + 2);
  for (const h of heads) {
    mem.writeU16(AVAIL + 4 + 2 * (idx % size), h);
    idx = (idx + 1) & 0xffff;
  }
  mem.writeU16(AVAIL + 2, idx);
}

/** The used ring: its idx and elements [id, len]. */
export function usedRing(mem: RamGuestMemory, size: number): { idx: number; elems: [number, number][] } {
  const idx = mem.readU16(USED + 2);
  const elems: [number, number][] = [];
  for (let i = 0; i < idx; i++) elems.push([mem.readU32(USED + 4 + 8 * (i % size)), mem.readU32(USED + 8 + 8 * (i % size))]);
  return { idx, elems };
}

export const r32 = (t: VirtioMmioTransport, off: number) => t.mmioRead(off, 4);
export const w32 = (t: VirtioMmioTransport, off: number, v: number) => t.mmioWrite(off, 4, v);

/**
 * The driver side of §3.1.1: reset, ACKNOWLEDGE, DRIVER, features (`features`, default: all offered
 * that we know — VERSION_1 and INDIRECT_DESC plus the device's), FEATURES_OK, queue 0 set up with
 * `size` entries at DESC/AVAIL/USED, DRIVER_OK. Returns the final status.
 */
export function driverInit(t: VirtioMmioTransport, size: number, features?: bigint): number {
  w32(t, 0x70, 0);
  w32(t, 0x70, 1);
  w32(t, 0x70, 1 | 2);
  let offered = 0n;
  for (const sel of [0, 1]) {
    w32(t, 0x14, sel);
    offered |= BigInt(r32(t, 0x10)) << BigInt(32 * sel);
  }
  const f = features ?? offered;
  for (const sel of [0, 1]) {
    w32(t, 0x24, sel);
    w32(t, 0x20, Number((f >> BigInt(32 * sel)) & 0xffffffffn));
  }
  w32(t, 0x70, 1 | 2 | 8);
  if (!(r32(t, 0x70) & 8)) return r32(t, 0x70);
  w32(t, 0x30, 0);
  w32(t, 0x38, size);
  w32(t, 0x80, DESC);
  w32(t, 0x84, 0);
  w32(t, 0x90, AVAIL);
  w32(t, 0x94, 0);
  w32(t, 0xa0, USED);
  w32(t, 0xa4, 0);
  w32(t, 0x44, 1);
  w32(t, 0x70, 1 | 2 | 8 | 4);
  return r32(t, 0x70);
}
