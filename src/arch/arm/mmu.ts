/**
 * Data-side memory access for the ARM core: address translation (the place the MMU goes; today the
 * flat user-level mapping VA = PA) and direct-mapped software TLBs for reads and writes over the
 * physical memory port's regions.
 *
 * - A TLB entry caches, for one virtual page, the DataView of the region holding it and the page's
 *   byte offset there. Entries are refilled through `PhysicalMemoryPort.lookup` on a miss and all
 *   dropped when the port's `generation` changes (checked by `ArmCpu.run` on entry).
 * - Pages that hold decoded code never get a write entry: a write to one goes through the slow
 *   path, which tells the code cache to drop the page first (self-modifying code, JITs).
 * - Faults and I/O stops fill `StopInfo` and throw GUEST_STOP.
 * - Data accesses honour CPSR.E (`littleEndian`); instruction fetch is always little-endian.
 */
import {
  ACCESS_FETCH, ACCESS_READ, ACCESS_WRITE, IO_STOP, PAGE_SHIFT, PHYS_IO, PHYS_RAM,
  type AccessKind, type PhysicalMemoryPort, type PhysPage,
} from "./memory.js";
import {
  FSR_ALIGNMENT, FSR_TRANSLATION_PAGE, GUEST_STOP, STOP_DATA_ABORT, STOP_IO, STOP_PREFETCH_ABORT, StopInfo,
} from "./stop.js";

const TLB_SIZE = 256;
const TLB_MASK = TLB_SIZE - 1;
const EMPTY_VIEW = new DataView(new ArrayBuffer(8));

/** Told when a write lands on a physical page that has decoded code. */
export interface CodeWriteListener {
  hasCode(ppn: number): boolean;
  codeWritten(ppn: number): void;
}

export class ArmMmu {
  /** CPSR.E clear: data accesses are little-endian. */
  littleEndian = true;
  private generation = -1;
  private readonly views: DataView[] = [];
  private readonly rTag = new Int32Array(TLB_SIZE).fill(-1);
  private readonly rBase = new Int32Array(TLB_SIZE);
  private readonly rView: DataView[] = new Array<DataView>(TLB_SIZE).fill(EMPTY_VIEW);
  private readonly wTag = new Int32Array(TLB_SIZE).fill(-1);
  private readonly wBase = new Int32Array(TLB_SIZE);
  private readonly wView: DataView[] = new Array<DataView>(TLB_SIZE).fill(EMPTY_VIEW);
  private readonly phys: PhysPage = { region: 0, offset: 0 };

  constructor(
    readonly port: PhysicalMemoryPort,
    private readonly info: StopInfo,
    private readonly code: CodeWriteListener,
  ) {}

  /** Drop the TLBs if the port's mappings changed; true if they were dropped. */
  sync(): boolean {
    if (this.port.generation === this.generation) return false;
    this.generation = this.port.generation;
    this.flush();
    return true;
  }

  flush(): void {
    this.rTag.fill(-1);
    this.wTag.fill(-1);
  }

  flushWrites(): void {
    this.wTag.fill(-1);
  }

  /** VA -> PA. User level: flat. (The MMU's table walk goes here.) */
  translate(va: number, _access: AccessKind): number {
    return va >>> 0;
  }

  private view(region: number): DataView {
    const views = this.views;
    while (views.length <= region) {
      const r = this.port.regions[views.length];
      views.push(new DataView(r.buffer, r.byteOffset, r.byteLength));
    }
    return views[region];
  }

  /**
   * For instruction fetch: the physical page number of `va`, with `out` set to where its bytes live
   * (`codeView`). Throws (prefetch abort) if the page is not executable RAM.
   */
  fetchPage(va: number): number {
    const pa = this.translate(va, ACCESS_FETCH);
    if (this.port.lookup(pa, ACCESS_FETCH, this.phys) !== PHYS_RAM) {
      const info = this.info;
      info.reason = STOP_PREFETCH_ABORT;
      info.address = va >>> 0;
      info.access = ACCESS_FETCH;
      info.status = FSR_TRANSLATION_PAGE;
      throw GUEST_STOP;
    }
    this.codeView = this.view(this.phys.region);
    this.codeBase = this.phys.offset;
    return Math.floor(pa / 4096);
  }
  codeView: DataView = EMPTY_VIEW;
  codeBase = 0;

  abort(va: number, access: AccessKind, status: number): never {
    const info = this.info;
    info.reason = STOP_DATA_ABORT;
    info.address = va >>> 0;
    info.access = access;
    info.status = status;
    throw GUEST_STOP;
  }

  /** Alignment check for accesses that require it (LDM/STM, LDRD/STRD, LDREX/STREX, ...). */
  checkAlign(va: number, mask: number, write: boolean): void {
    if ((va & mask) !== 0) this.abort(va, write ? ACCESS_WRITE : ACCESS_READ, FSR_ALIGNMENT);
  }

  // ------------------------------------------------------------------ reads (values zero-extended
  // for 8/16 bits; read32 returns a signed int32 like a register holds)

  read8(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTag[e] === vpn) return this.rView[e].getUint8(this.rBase[e] + (va & 0xfff));
    return this.readSlow(va, 1);
  }

  read16(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTag[e] === vpn && (va & 0xfff) < 0xfff) return this.rView[e].getUint16(this.rBase[e] + (va & 0xfff), this.littleEndian);
    return this.readSlow(va, 2);
  }

  read32(va: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.rTag[e] === vpn && (va & 0xfff) <= 0xffc) return this.rView[e].getInt32(this.rBase[e] + (va & 0xfff), this.littleEndian);
    return this.readSlow(va, 4) | 0;
  }

  private readSlow(va: number, size: number): number {
    if ((va & 0xfff) + size > 0x1000) {
      // Crosses a page: byte by byte, each byte through its own page.
      let v = 0;
      for (let i = 0; i < size; i++) {
        const b = this.read8((va + i) | 0);
        v = this.littleEndian ? v + b * 2 ** (8 * i) : v * 256 + b;
      }
      return v;
    }
    const pa = this.translate(va, ACCESS_READ);
    const kind = this.port.lookup(pa, ACCESS_READ, this.phys);
    if (kind === PHYS_RAM) {
      const e = (va >>> PAGE_SHIFT) & TLB_MASK;
      this.rTag[e] = va >>> PAGE_SHIFT;
      this.rView[e] = this.view(this.phys.region);
      this.rBase[e] = this.phys.offset;
      const dv = this.rView[e], off = this.phys.offset + (va & 0xfff);
      return size === 1 ? dv.getUint8(off) : size === 2 ? dv.getUint16(off, this.littleEndian) : dv.getUint32(off, this.littleEndian);
    }
    if (kind === PHYS_IO) {
      const v = this.port.ioRead(pa, size);
      if (v === IO_STOP) this.ioStop(pa, size, ACCESS_READ, 0);
      return this.littleEndian ? v : swapBytes(v, size);
    }
    return this.abort(va, ACCESS_READ, FSR_TRANSLATION_PAGE);
  }

  // ------------------------------------------------------------------ writes

  write8(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTag[e] === vpn) this.wView[e].setUint8(this.wBase[e] + (va & 0xfff), v);
    else this.writeSlow(va, 1, v & 0xff);
  }

  write16(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTag[e] === vpn && (va & 0xfff) < 0xfff) this.wView[e].setUint16(this.wBase[e] + (va & 0xfff), v, this.littleEndian);
    else this.writeSlow(va, 2, v & 0xffff);
  }

  write32(va: number, v: number): void {
    const vpn = va >>> PAGE_SHIFT;
    const e = vpn & TLB_MASK;
    if (this.wTag[e] === vpn && (va & 0xfff) <= 0xffc) this.wView[e].setInt32(this.wBase[e] + (va & 0xfff), v, this.littleEndian);
    else this.writeSlow(va, 4, v >>> 0);
  }

  /**
   * Checks that a write of `size` bytes at `va` would not fault, without writing: used by stores
   * that write several locations (STM, STRD) so that no memory changes if any part faults.
   */
  probeWrite(va: number, size: number): void {
    const vpn = va >>> PAGE_SHIFT;
    if (this.wTag[vpn & TLB_MASK] === vpn && (va & 0xfff) + size <= 0x1000) return;
    for (let i = 0; i < size; i += 0x1000 - ((va + i) & 0xfff)) {
      const a = (va + i) | 0;
      const kind = this.port.lookup(this.translate(a, ACCESS_WRITE), ACCESS_WRITE, this.phys);
      if (kind !== PHYS_RAM && kind !== PHYS_IO) this.abort(a, ACCESS_WRITE, FSR_TRANSLATION_PAGE);
    }
  }

  private writeSlow(va: number, size: number, v: number): void {
    if ((va & 0xfff) + size > 0x1000) {
      this.probeWrite(va, size);
      for (let i = 0; i < size; i++) {
        const shift = this.littleEndian ? 8 * i : 8 * (size - 1 - i);
        this.write8((va + i) | 0, (v >>> shift) & 0xff);
      }
      return;
    }
    const pa = this.translate(va, ACCESS_WRITE);
    const kind = this.port.lookup(pa, ACCESS_WRITE, this.phys);
    if (kind === PHYS_RAM) {
      const ppn = Math.floor(pa / 4096);
      if (this.code.hasCode(ppn)) this.code.codeWritten(ppn);
      const e = (va >>> PAGE_SHIFT) & TLB_MASK;
      this.wTag[e] = va >>> PAGE_SHIFT;
      const dv = (this.wView[e] = this.view(this.phys.region));
      this.wBase[e] = this.phys.offset;
      const off = this.phys.offset + (va & 0xfff);
      if (size === 1) dv.setUint8(off, v);
      else if (size === 2) dv.setUint16(off, v, this.littleEndian);
      else dv.setUint32(off, v, this.littleEndian);
      return;
    }
    if (kind === PHYS_IO) {
      const value = this.littleEndian ? v : swapBytes(v, size);
      if (this.port.ioWrite(pa, size, value) === IO_STOP) this.ioStop(pa, size, ACCESS_WRITE, value);
      return;
    }
    this.abort(va, ACCESS_WRITE, FSR_TRANSLATION_PAGE);
  }

  private ioStop(pa: number, size: number, access: AccessKind, value: number): never {
    const info = this.info;
    info.reason = STOP_IO;
    info.address = pa;
    info.size = size;
    info.access = access;
    info.value = value;
    throw GUEST_STOP;
  }
}

function swapBytes(v: number, size: number): number {
  if (size === 1) return v;
  if (size === 2) return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
