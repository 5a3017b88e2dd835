/**
 * ArmCpu: one ARMv7-A processor (Cortex-A15 / Cortex-A7 flavour), integer state, the decoded-code
 * cache with its translated blocks, and the run loop.
 *
 * Execution model: instructions are decoded once (decode/a32.ts, decode/t16.ts, decode/t32.ts) into
 * a per-physical-page `CodePage` (executor id + condition + four operands) and executed by the
 * executors in exec/. During an executor call, `regs[15]` holds the architectural PC read value
 * (instruction address + 8 in ARM state, + 4 in Thumb state) and `nextPc` the address execution
 * continues at; branches write `nextPc` through `branchWritePc`/`bxWritePc`.
 *
 * After decoding, `specialize` (exec/fast.ts) swaps the commonest forms for switch-free executors.
 * Memory goes through `mmu` (software TLBs over the PhysicalMemoryPort); faults and I/O stops throw
 * the preallocated GUEST_STOP, caught here, with the instruction not yet committed (restartable).
 *
 * Hot code runs translated (jit/translate.ts): once the run loop has reached a block start with
 * ITSTATE = 0 `translateThreshold` times (default DEFAULT_TRANSLATE_THRESHOLD, 1000), the
 * straight-line run of decoded slots from there (to a branch, a stopping instruction, the page end or 64 instructions; IT blocks included,
 * their conditions resolved at translation) becomes one generated JavaScript function with the
 * operands as constants, N Z C V in locals, common forms inlined (jit/emit*.ts) and executor calls
 * for the rest. The run loop calls it instead of stepping; a block branching to its own start loops
 * inside the function until the budget is used, so `run(budget)` may overshoot by less than one
 * block, and `retired` is always exact. Blocks live in the CodePage next to its decoded slots and
 * go with it (self-modifying code, `invalidateCode`, a store into the page leaves the block at once).
 * A fault or stop inside a block leaves exactly the interpreter's state at that instruction: flags
 * written back, `pcCur` and ITSTATE of the instruction, and the instructions before it retired
 * (`blockPartial`), so every instruction stays restartable.
 *
 * Flags are kept separately: N is the sign of `nf`, Z is `zf === 0`, C is `cf` (0/1), V is `vf`
 * (0/1), Q is `qf`, GE is `ge` (4 bits), and the Thumb IT state is `itstate` (ITSTATE[7:0]).
 *
 * Privileged state (exceptions.ts): `mode` is CPSR.M and `regs` is always the current mode's view;
 * the other modes' banked registers and every SPSR live in `banked` (struct kvm_regs layout). With
 * `systemMode` off (tskvm user) the core is a PL0 process: SVC, UNDEFINED and aborts stop `run`.
 * With it on (KVM, bare metal) `run` takes them as exceptions inside the guest, takes IRQ/FIQ from
 * `setIrqLine`/`setFiqLine` at instruction boundaries, and stops only for HVC/SMC at PL1 (PC past
 * the instruction: the layer above implements PSCI and resumes), WFI/WFE with no interrupt pending,
 * I/O and the budget. Executors that change the mode, the interrupt masks or take an exception
 * return signal an internal STOP_EVENT, which ends translated blocks; the run loop then checks for
 * interrupts and continues.
 *
 * Code written by anything other than this core's stores (a syscall filling a buffer, the loader,
 * another vCPU) must be reported with `invalidateCode(pa, length)`.
 */
import { decodeA32 } from "./decode/a32.js";
import { decodeT16 } from "./decode/t16.js";
import { decodeT32 } from "./decode/t32.js";
import { Decoded } from "./decode/pattern.js";
import { CodeCache, CodePage, SLOT_WORDS } from "./code-cache.js";
import { EXECUTORS } from "./executors.js";
import { specialize } from "./exec/fast.js";
import { OP_UNDEFINED } from "./exec/system.js";
import { FpSimdState } from "./fp-simd.js";
import "./vfp/decode.js"; // registers the VFP decoder for the CP10/CP11 encoding spaces
import type { PhysicalMemoryPort } from "./memory.js";
import { ArmMmu, type CodeWriteListener } from "./mmu.js";
import { translateBlock } from "./jit/translate.js";
import {
  GUEST_STOP, STOP_BKPT, STOP_BUDGET, STOP_DATA_ABORT, STOP_HVC, STOP_NONE, STOP_PREFETCH_ABORT, STOP_SMC, STOP_SVC,
  STOP_UNDEFINED, STOP_WFE, STOP_WFI, StopInfo, FAULT_DEBUG,
} from "./stop.js";
import { Cp15State } from "./cp15/state.js";
import type { Cp15Model } from "./cp15/model.js";
import { CORTEX_A15 } from "./cp15/cortex-a15.js";
import { CORTEX_A7 } from "./cp15/cortex-a7.js";
import { resetCp15 } from "./cp15/table.js";
import { GenericTimer, hostCounter } from "./timer.js";
import {
  AIF_A, AIF_F, AIF_I, MODE_ABT, MODE_FIQ, MODE_IRQ, MODE_SVC, MODE_UND, NO_ITSTATE, VECTOR_DATA_ABORT, VECTOR_FIQ,
  VECTOR_IRQ, VECTOR_PREFETCH_ABORT, VECTOR_SVC, VECTOR_UNDEFINED, abortFsr, enterException, isValidMode, switchMode,
} from "./exceptions.js";

export {
  STOP_NONE, STOP_BUDGET, STOP_SVC, STOP_UNDEFINED, STOP_BKPT, STOP_DATA_ABORT, STOP_PREFETCH_ABORT,
  STOP_HVC, STOP_SMC, STOP_WFI, STOP_WFE, STOP_IO, StopInfo,
} from "./stop.js";

export type ArmModel = "cortex-a15" | "cortex-a7";
export { MODE_USR, MODE_FIQ, MODE_IRQ, MODE_SVC, MODE_ABT, MODE_UND, MODE_SYS } from "./exceptions.js";
import { MODE_USR } from "./exceptions.js";

/**
 * @internal Stop reason an executor signals after changing the mode, the interrupt masks or the
 * instruction stream's privilege (MSR/CPS, exception return): ends translated blocks; `run`
 * re-checks interrupts and continues. Never returned by `run`.
 */
export const STOP_EVENT = 100;

const ITLB_SIZE = 64;

export interface ArmCpuOptions {
  memory: PhysicalMemoryPort;
  model?: ArmModel;
  /** Physical count source (ticks at `counterFrequency`); default: host monotonic clock. */
  readCounter?: () => number;
  /** CNTFRQ; default 24 MHz. */
  counterFrequency?: number;
  /**
   * Deterministic counter: the count advances by this many ticks per retired instruction (counted at
   * the end of each `run` call), instead of following host time. Ignored when `readCounter` is given.
   */
  ticksPerInstruction?: number;
  /** vCPU index (MPIDR affinity, L2CTLR) and the VM's vCPU count at reset; default 0 and 1. */
  vcpuId?: number;
  vcpuCount?: number;
  /**
   * Translate a block once the run loop has reached its start this many times (default
   * DEFAULT_TRANSLATE_THRESHOLD); 1 translates everything on first use, Infinity never translates.
   */
  translateThreshold?: number;
}

/**
 * Each translated block is a JavaScript function V8 compiles again (Ignition, Sparkplug, TurboFan on
 * a background thread): ~1 ms of host CPU per block, worth it only for code run thousands of
 * times. A threshold of 8 translated ~27,000 blocks while Linux booted and most of the kernel's
 * fork/exec/exit paths, which then ran at ~9 MIPS; at 1000, boot took ~35% less CPU and a loop of
 * 300 process starts ~40% less (measured on Debian's armmp kernel, 1 vCPU).
 */
export const DEFAULT_TRANSLATE_THRESHOLD = 1000;

export class ArmCpu implements CodeWriteListener {
  readonly regs = new Int32Array(16);
  readonly model: ArmModel;
  readonly stopInfo = new StopInfo();
  readonly mmu: ArmMmu;
  readonly fp = new FpSimdState();
  /** N = sign of nf; Z = (zf === 0); C, V, Q: 0/1; GE: 4 bits. */
  nf = 0;
  zf = 1;
  cf = 0;
  vf = 0;
  qf = 0;
  ge = 0;
  itstate = 0;
  thumb = false;
  /** CPSR.E: big-endian data accesses. */
  bigEndian = false;
  mode = MODE_USR;
  /** CPSR.A, I, F (bits 8..6). */
  aif = 0;
  /** Banked registers of the other modes and all SPSRs, in struct kvm_regs layout (exceptions.ts). */
  readonly banked = new Int32Array(38);
  /** Take exceptions inside the guest (KVM, bare metal) instead of stopping `run` (tskvm user). */
  private system = false;
  /** PL1 system emulation (KVM, bare metal); off: tskvm user. The MMU applies translation only when on. */
  get systemMode(): boolean {
    return this.system;
  }
  set systemMode(on: boolean) {
    this.system = on;
    this.mmu.system = on;
    this.mmu.translationRegimeChanged();
  }
  readonly cp15 = new Cp15State();
  readonly cp15Model: Cp15Model;
  readonly timer: GenericTimer;
  vcpuId: number;
  vcpuCount: number;
  /** IRQ and FIQ input levels (driven by the interrupt controller above). */
  irqLine = false;
  fiqLine = false;
  /** @internal ITSTATE an exception return restored (NO_ITSTATE: none), applied by `run`. */
  eventItstate = NO_ITSTATE;
  /** Instructions retired (a double). */
  retired = 0;
  readonly counterFrequency: number;
  readonly readCounter: () => number;

  // ---- executor scratch (shared, allocated once)
  /** shifter carry-out of the last `shift` */
  shc = 0;
  /** address execution continues at after the current instruction */
  nextPc = 0;
  /** address of the current instruction */
  pcCur = 0;
  /** 8 in ARM state, 4 in Thumb state */
  pcOffset = 8;
  /** local exclusive monitor: address and size of the last LDREX, -1 when open */
  exclusiveAddress = -1;
  exclusiveSize = 0;
  /**
   * Complete LDM/STM/LDRD/STRD at unaligned addresses instead of raising an alignment fault (what
   * Linux's alignment fixup gives user space on ARMv6+). Off: architectural faults.
   */
  alignmentFixup = false;
  /** LDM staging (loads complete before any register is written) */
  readonly staging = new Int32Array(16);
  /** @internal Set by a translated block that throws GUEST_STOP: instructions it retired before. */
  blockPartial = 0;
  readonly translateThreshold: number;

  // ---- code cache
  private readonly cache = new CodeCache();
  private codePage: CodePage;
  /** @internal Virtual page number of `codePage`; -1 forces a re-lookup (code dropped, ISA switch). */
  codeVpn = -1;
  /**
   * The instruction-side page map: one direct-mapped table of ITLB_SIZE entries per fast-TLB set of
   * the MMU (privilege level x DACR slot, mmu.ts), since an entry carries that context's fetch
   * permission check; `itlbBase` selects the current table.
   */
  private readonly itlbKey = new Int32Array(ITLB_SIZE * ArmMmu.FAST_SETS).fill(-1);
  private readonly itlbPage: CodePage[];
  private itlbBase = 0;
  private readonly decoded = new Decoded();

  constructor(options: ArmCpuOptions) {
    this.model = options.model ?? "cortex-a15";
    this.mmu = new ArmMmu(options.memory, this.stopInfo, this);
    this.mmu.cp15 = this.cp15;
    this.counterFrequency = options.counterFrequency ?? 24_000_000;
    this.translateThreshold = options.translateThreshold ?? DEFAULT_TRANSLATE_THRESHOLD;
    const f = this.counterFrequency, tpi = options.ticksPerInstruction;
    this.readCounter = options.readCounter ?? (tpi !== undefined ? () => this.retired * tpi : hostCounter(f));
    this.timer = new GenericTimer(f, this.readCounter);
    this.cp15Model = this.model === "cortex-a7" ? CORTEX_A7 : CORTEX_A15;
    this.vcpuId = options.vcpuId ?? 0;
    this.vcpuCount = options.vcpuCount ?? 1;
    this.cp15.cntkctl = 3; // a PL0 process (tskvm user) reads both counters, as Linux sets up
    this.codePage = new CodePage(new DataView(new ArrayBuffer(8)), 0, -1, false);
    this.itlbPage = new Array<CodePage>(ITLB_SIZE * ArmMmu.FAST_SETS).fill(this.codePage);
    this.itlbBase = this.mmu.fastSet * ITLB_SIZE;
  }

  // ------------------------------------------------------------------ architectural state

  get pc(): number {
    return this.regs[15] >>> 0;
  }
  /** Bit 0 selects the instruction set (1 = Thumb), as BX does. */
  set pc(v: number) {
    this.setThumb((v & 1) !== 0);
    this.regs[15] = v & ~1;
  }

  /** TPIDRURW / TPIDRURO (CP15 c13), as the user-mode layer sets them. */
  get tpidrurw(): number {
    return this.cp15.tpidrurw;
  }
  set tpidrurw(v: number) {
    this.cp15.tpidrurw = v >>> 0;
  }
  get tpidruro(): number {
    return this.cp15.tpidruro;
  }
  set tpidruro(v: number) {
    this.cp15.tpidruro = v >>> 0;
  }

  get cpsr(): number {
    const it = this.itstate;
    return (
      ((this.nf < 0 ? 1 << 31 : 0) | (this.zf === 0 ? 1 << 30 : 0) | (this.cf << 29) | (this.vf << 28) |
        (this.qf << 27) | ((it & 3) << 25) | (this.ge << 16) | ((it >>> 2) << 10) | (this.bigEndian ? 1 << 9 : 0) |
        (this.aif << 6) | (this.thumb ? 1 << 5 : 0) | this.mode) >>> 0
    );
  }
  set cpsr(v: number) {
    this.writeApsr(v, true, true);
    this.itstate = ((v >>> 25) & 3) | (((v >>> 10) & 0x3f) << 2);
    this.bigEndian = (v & (1 << 9)) !== 0;
    this.mmu.littleEndian = !this.bigEndian;
    this.aif = (v >>> 6) & 7;
    this.setThumb((v & (1 << 5)) !== 0);
    const mode = v & 0x1f;
    if (isValidMode(mode)) switchMode(this, mode);
  }

  setBigEndian(be: boolean): void {
    this.bigEndian = be;
    this.mmu.littleEndian = !be;
  }

  /** PL0 <-> PL1: the MMU switches fast-TLB sets and the page map follows (`fetchContextChanged`). */
  privilegeChanged(): void {
    this.mmu.setUser(this.mode === MODE_USR);
    this.codeVpn = -1;
  }

  /** @internal Signal STOP_EVENT (see its comment); `itstate` >= 0 is re-applied after the instruction. */
  signalStateChange(itstate: number): void {
    this.eventItstate = itstate;
    this.stopInfo.reason = STOP_EVENT;
  }

  /** Architectural reset (§7): registers and SPSRs 0, CPSR 0x1D3 (SVC, A/I/F masked), CP15 reset values, timers' CTL 0. */
  reset(): void {
    this.cpsr = 0x1d3;
    this.regs.fill(0);
    this.banked.fill(0);
    resetCp15(this);
    this.mmu.translationRegimeChanged();
    this.timer.reset();
    this.itstate = 0;
    this.setBigEndian(false);
    this.exclusiveAddress = -1;
    this.flushTlb();
  }

  /** Level of the IRQ input (level-sensitive: the exception is taken while it is high and CPSR.I is clear). */
  setIrqLine(level: boolean): void {
    this.irqLine = level;
  }
  setFiqLine(level: boolean): void {
    this.fiqLine = level;
  }

  /** MSR APSR: the NZCVQ flags and/or the GE bits. */
  writeApsr(v: number, flags: boolean, ge: boolean): void {
    if (flags) {
      this.nf = v & (1 << 31);
      this.zf = (v >>> 30) & 1 ? 0 : 1;
      this.cf = (v >>> 29) & 1;
      this.vf = (v >>> 28) & 1;
      this.qf = (v >>> 27) & 1;
    }
    if (ge) this.ge = (v >>> 16) & 0xf;
  }

  setThumb(t: boolean): void {
    if (t !== this.thumb) {
      this.thumb = t;
      this.pcOffset = t ? 4 : 8;
      this.codeVpn = -1;
    }
  }

  /** ConditionPassed for a 4-bit condition. */
  condPassed(cond: number): boolean {
    switch (cond) {
      case 0: return this.zf === 0;
      case 1: return this.zf !== 0;
      case 2: return this.cf !== 0;
      case 3: return this.cf === 0;
      case 4: return this.nf < 0;
      case 5: return this.nf >= 0;
      case 6: return this.vf !== 0;
      case 7: return this.vf === 0;
      case 8: return this.cf !== 0 && this.zf !== 0;
      case 9: return this.cf === 0 || this.zf === 0;
      case 10: return this.nf < 0 === (this.vf !== 0);
      case 11: return this.nf < 0 !== (this.vf !== 0);
      case 12: return this.zf !== 0 && this.nf < 0 === (this.vf !== 0);
      case 13: return this.zf === 0 || this.nf < 0 !== (this.vf !== 0);
      default: return true;
    }
  }

  // ------------------------------------------------------------------ helpers for executors

  /** BranchWritePC: stays in the current instruction set. */
  branchWritePc(addr: number): void {
    this.nextPc = this.thumb ? addr & ~1 : addr & ~3;
  }

  /** BXWritePC (also LoadWritePC, and ALUWritePC in ARM state): bit 0 selects the instruction set. */
  bxWritePc(addr: number): void {
    if (addr & 1) {
      this.setThumb(true);
      this.nextPc = addr & ~1;
    } else {
      this.setThumb(false);
      this.nextPc = addr & ~3;
    }
  }

  /** ALUWritePC: interworking in ARM state, a plain branch in Thumb state. */
  aluWritePc(addr: number): void {
    if (this.thumb) this.nextPc = addr & ~1;
    else this.bxWritePc(addr);
  }

  /** Stop before the current instruction completes (it will be re-executed by the next run). */
  stopHere(reason: number): void {
    this.stopInfo.reason = reason;
    this.nextPc = this.pcCur;
  }

  /** Stop after the current instruction (SVC, WFI, ...). */
  stopAfter(reason: number): void {
    this.stopInfo.reason = reason;
  }

  /**
   * @internal A translated block's exit after an executor call that branched, stopped or dropped
   * code: the interpreter's accounting for the instruction at `pc`, `done` instructions into the
   * block, whose ITSTATE once retired is `itAfter`. Returns the block's retired count and leaves
   * pcCur where execution continues.
   */
  blockExit(pc: number, done: number, itAfter: number): number {
    const reason = this.stopInfo.reason;
    if (reason !== STOP_NONE && this.nextPc === pc && reason !== STOP_SVC) {
      this.pcCur = pc; // restartable stop: the instruction did not retire (ITSTATE as before it)
      return done;
    }
    this.itstate = itAfter;
    this.pcCur = this.nextPc;
    return done + 1;
  }

  /** The current instruction's encoding (T32: hw1 << 16 | hw2), e.g. for UNDEFINED raised at run time. */
  currentInsn(): number {
    const pc = this.pcCur;
    if (!this.thumb) return this.mmu.read32(pc);
    const hw1 = this.fetch16(pc);
    if (hw1 < 0xe800) return hw1;
    return ((hw1 << 16) | this.fetch16(pc + 2)) >>> 0;
  }

  // ------------------------------------------------------------------ code cache

  hasCode(ppn: number): boolean {
    return this.cache.has(ppn);
  }

  codeWritten(ppn: number): void {
    this.cache.drop(ppn);
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /** Drop decoded code for physical addresses [pa, pa + length). */
  invalidateCode(pa: number, length: number): void {
    if (length <= 0) return;
    const first = Math.floor(pa / 4096), last = Math.floor((pa + length - 1) / 4096);
    for (let p = first; p <= last; p++) this.cache.drop(p);
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /**
   * The processors of this one's inner-shareable domain, itself included. Broadcast maintenance
   * (TLBI…IS, ICIALLUIS, and ICIMVAU/BPIALL, which ARMv7 MP cores broadcast too) reaches all of them.
   * A lone CPU is its own domain; the KVM layer sets this for the vCPUs of one VM.
   */
  shareableDomain: () => readonly ArmCpu[] = () => this.alone;
  private readonly alone: readonly ArmCpu[] = [this];

  /** Drop every decoded page (an instruction-cache invalidate of everything). */
  invalidateAllCode(): void {
    this.cache.clear();
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /** Instruction-cache invalidation of everything on this CPU: every decoded page is re-checked (CodePage.unchanged) before its next use. */
  icacheInvalidateAll(): void {
    this.cache.icEpoch++;
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /**
   * Instruction-cache maintenance of everything (ICIALLU, ICIALLUIS, BPIALL…; ARMv7 MP cores
   * broadcast them): what another CPU stored, or a device wrote by DMA, may be code this one has
   * decoded — every CPU of the domain re-checks its pages before using them again.
   */
  invalidatePeersCode(): void {
    for (const other of this.shareableDomain()) other.icacheInvalidateAll();
  }

  /**
   * ICIMVAU by this CPU (broadcast on ARMv7 MP cores): every CPU of the domain re-checks its decoded
   * code of the one physical page `va` translates to now, or everything when it does not translate.
   */
  invalidatePeersCodeAt(va: number): void {
    const pa = this.mmu.probe(va);
    for (const other of this.shareableDomain()) {
      if (pa < 0) other.icacheInvalidateAll();
      else other.icacheInvalidatePage(Math.floor(pa / 4096));
    }
  }

  /** ICIMVAU's effect on this CPU: the physical page's decoded code is re-checked before its next use. */
  icacheInvalidatePage(ppn: number): void {
    this.cache.suspect(ppn);
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /** Drop all translations (TLBs and the instruction-side page map). */
  flushTlb(): void {
    this.mmu.flush();
    this.flushCodeMap();
  }

  /** The MMU's translations changed (TLB maintenance, translation registers, privilege). */
  translationsChanged(): void {
    this.flushCodeMap();
  }

  /** Drop the instruction-side virtual page map (decoded code stays, keyed by physical page). */
  flushCodeMap(): void {
    this.codeVpn = -1;
    this.itlbKey.fill(-1);
  }

  /** The MMU's data side moved to fast-TLB set `slot`: use that set's page map (emptied if `fresh`). */
  fetchContextChanged(slot: number, fresh: boolean): void {
    const base = slot * ITLB_SIZE;
    if (fresh) this.itlbKey.fill(-1, base, base + ITLB_SIZE);
    this.itlbBase = base;
    this.codeVpn = -1;
  }

  private enterPage(pc: number): void {
    const key = ((pc >>> 12) << 1) | (this.thumb ? 1 : 0);
    const e = this.itlbBase + (key & (ITLB_SIZE - 1));
    let page: CodePage;
    if (this.itlbKey[e] === key) page = this.itlbPage[e];
    else {
      const mmu = this.mmu;
      const ppn = mmu.fetchPage(pc);
      const cache = this.cache;
      let cached = cache.get(ppn, this.thumb);
      if (cached !== undefined && cached.checkedEpoch !== cache.icEpoch) {
        if (cached.unchanged()) cached.checkedEpoch = cache.icEpoch;
        else cache.drop(ppn), (cached = undefined);
      }
      if (cached !== undefined && cached.view === mmu.codeView && cached.base === mmu.codeBase) {
        page = cached;
        // translated blocks hold virtual PCs: a physical page entered through another VA drops them
        if (page.blockVpn !== pc >>> 12) {
          if (page.blockVpn !== -1) page.blocks.fill(null), page.heat.fill(0);
          page.blockVpn = pc >>> 12;
        }
      }
      else {
        page = new CodePage(mmu.codeView, mmu.codeBase, ppn, this.thumb, this.cache.icEpoch);
        page.blockVpn = pc >>> 12;
        this.cache.add(page);
        mmu.flushWrites(); // no write TLB entry may point at a page with code
      }
      this.itlbKey[e] = key;
      this.itlbPage[e] = page;
    }
    this.codePage = page;
    this.codeVpn = pc >>> 12;
  }

  private fetch16(va: number): number {
    const mmu = this.mmu;
    mmu.fetchPage(va);
    return mmu.codeView.getUint16(mmu.codeBase + (va & 0xfff), true);
  }

  /** @internal Decode the instruction at `pc` into slot `idx` of `page`; returns its meta word. */
  decodeSlot(page: CodePage, idx: number, pc: number): number {
    const out = this.decoded;
    out.cond = 14;
    out.size = 4;
    const off = page.base + (pc & 0xfff);
    if (!page.thumb) {
      const word = page.view.getInt32(off, true);
      if (!decodeA32(word, out)) out.set(OP_UNDEFINED, word), (out.cond = 14);
    } else {
      const hw1 = page.view.getUint16(off, true);
      if (hw1 >= 0xe800) {
        const hw2 = (pc & 0xfff) === 0xffe ? this.fetch16(pc + 2) : page.view.getUint16(off + 2, true);
        const word = (hw1 << 16) | hw2;
        if (!decodeT32(word, out)) out.set(OP_UNDEFINED, word), (out.cond = 14);
      } else {
        out.size = 2;
        if (!decodeT16(hw1, out)) out.set(OP_UNDEFINED, hw1), (out.cond = 14);
      }
    }
    specialize(out);
    const meta = out.op | (out.cond << 16) | (out.size << 24);
    const slots = page.slots, i = idx * SLOT_WORDS;
    slots[i] = meta;
    slots[i + 1] = out.a;
    slots[i + 2] = out.b;
    slots[i + 3] = out.c;
    slots[i + 4] = out.d;
    return meta;
  }

  // ------------------------------------------------------------------ run loop

  /** Execute up to `budget` instructions; returns the STOP_* reason (details in `stopInfo`). */
  run(budget: number): number {
    const info = this.stopInfo;
    info.reason = STOP_NONE;
    if (this.mmu.sync()) this.flushTlb();
    this.pcCur = this.regs[15] & (this.thumb ? ~1 : ~3);
    let n = 0;
    // exceptions taken and state-change events also spend budget, so an instruction that faults
    // into a vector that faults again (or returns to itself) cannot keep `run` from returning
    let events = 0;
    for (;;) {
      if (this.systemMode) this.takeInterrupt();
      n += this.execute(budget - n - events);
      const reason = info.reason;
      if (reason === STOP_NONE) break;
      if (reason === STOP_EVENT) {
        if (this.eventItstate !== NO_ITSTATE) this.itstate = this.eventItstate;
        this.eventItstate = NO_ITSTATE;
      } else if (!this.systemMode || !this.takeStop(reason)) break;
      info.reason = STOP_NONE;
      if (n + ++events >= budget) break;
    }
    this.retired += n;
    this.regs[15] = this.pcCur;
    if (info.reason === STOP_NONE) info.reason = STOP_BUDGET;
    return info.reason;
  }

  /** Take a pending, unmasked FIQ or IRQ at the boundary before `pcCur`. */
  private takeInterrupt(): void {
    if (this.fiqLine && (this.aif & AIF_F) === 0) {
      enterException(this, MODE_FIQ, VECTOR_FIQ, (this.pcCur + 4) | 0, AIF_A | AIF_I | AIF_F);
    } else if (this.irqLine && (this.aif & AIF_I) === 0) {
      enterException(this, MODE_IRQ, VECTOR_IRQ, (this.pcCur + 4) | 0, AIF_A | AIF_I);
    }
  }

  /**
   * System mode: turn a stop into the guest's exception (true: keep running) or leave it for the
   * layer above (false). `pcCur` is the instruction (SVC: the next one).
   */
  private takeStop(reason: number): boolean {
    const info = this.stopInfo, pc = this.pcCur, cp = this.cp15;
    switch (reason) {
      case STOP_UNDEFINED:
        enterException(this, MODE_UND, VECTOR_UNDEFINED, (pc + (this.thumb ? 2 : 4)) | 0, AIF_I);
        return true;
      case STOP_SVC:
        enterException(this, MODE_SVC, VECTOR_SVC, pc, AIF_I);
        return true;
      case STOP_BKPT:
        info.faultType = FAULT_DEBUG;
        info.faultLevel = 0;
        info.faultLong = (cp.ttbcr & 0x80000000) !== 0;
        info.access = 0;
        cp.ifsr = abortFsr(info) & ~(1 << 11);
        enterException(this, MODE_ABT, VECTOR_PREFETCH_ABORT, (pc + 4) | 0, AIF_A | AIF_I);
        return true;
      case STOP_PREFETCH_ABORT:
        cp.ifsr = abortFsr(info) & ~(1 << 11);
        cp.ifar = info.address >>> 0;
        enterException(this, MODE_ABT, VECTOR_PREFETCH_ABORT, (pc + 4) | 0, AIF_A | AIF_I);
        return true;
      case STOP_DATA_ABORT:
        cp.dfsr = abortFsr(info);
        cp.dfar = info.address >>> 0;
        enterException(this, MODE_ABT, VECTOR_DATA_ABORT, (pc + 8) | 0, AIF_A | AIF_I);
        return true;
      case STOP_WFI:
      case STOP_WFE:
        // a pending interrupt wakes WFI even while masked (ARM ARM B1.8.13)
        return this.irqLine || this.fiqLine;
      case STOP_HVC:
      case STOP_SMC:
      default:
        return false;
    }
  }

  /** The run loop proper; returns the number of instructions retired. */
  private execute(budget: number): number {
    const regs = this.regs;
    const info = this.stopInfo;
    let n = 0;
    let page = this.codePage;
    try {
      while (n < budget) {
        const pc = this.pcCur;
        if (pc >>> 12 !== this.codeVpn) {
          this.enterPage(pc);
          page = this.codePage;
        }
        const idx = (pc & 0xfff) >>> 1;
        if (this.itstate === 0) {
          const block = page.blocks[idx];
          if (block !== null) {
            n += block(this, budget - n);
            if (info.reason !== STOP_NONE) return n;
            continue;
          }
          if (++page.heat[idx] === this.translateThreshold) {
            page.blocks[idx] = translateBlock(this, page, pc);
            continue;
          }
        }
        const slots = page.slots;
        const i = idx * SLOT_WORDS;
        let meta = slots[i];
        if (meta === 0) meta = this.decodeSlot(page, idx, pc);
        regs[15] = pc + this.pcOffset;
        this.nextPc = (pc + (meta >>> 24)) | 0;
        const it = this.itstate;
        const cond = it === 0 ? (meta >>> 16) & 0xf : it >>> 4;
        if (cond >= 14 || this.condPassed(cond)) EXECUTORS[meta & 0xffff](this, slots[i + 1], slots[i + 2], slots[i + 3], slots[i + 4]);
        if (it !== 0) this.itstate = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
        if (info.reason !== STOP_NONE) {
          if (this.nextPc === pc && info.reason !== STOP_SVC) this.itstate = it; // restartable stop
          else n++;
          this.pcCur = this.nextPc;
          return n;
        }
        if (idx === 2047 && meta >>> 24 === 4) slots[i] = 0; // straddles a page: never cached
        this.pcCur = this.nextPc;
        n++;
      }
    } catch (e) {
      if (e !== GUEST_STOP) throw e;
      n += this.blockPartial; // a translated block retired these before the faulting instruction
      this.blockPartial = 0;
    }
    return n;
  }
}
