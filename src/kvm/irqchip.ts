/**
 * The VM's GSI routing table (virt/kvm/irqchip.c, v5.4–5.6): KVM_SET_GSI_ROUTING, kvm_set_irq (a GSI
 * raised or lowered through its routing entries), the irqchip-pin → GSI map and the IRQ ack
 * notifiers a resampling irqfd listens on. Reference kvm-arm32-abi.md §3.10.
 *
 * The architecture supplies what virt/kvm/arm/vgic/vgic-irqfd.c does: whether the in-kernel irqchip
 * is initialized, its pin limits (KVM_NR_IRQCHIPS, KVM_IRQCHIP_NUM_PINS), the `set` of an irqchip
 * entry (ARM: SPI pin + 32 on the vGIC) and of an MSI entry. ARM installs its default table — GSI g →
 * irqchip 0 pin g for every SPI — when the vGIC initializes (kvm_vgic_setup_default_irq_routing),
 * replacing whatever userspace set before, as Linux does.
 *
 * Validation, in the kernel's order: the ioctl refuses nr > KVM_MAX_IRQ_ROUTES and flags ≠ 0 (EINVAL),
 * then a failed copy of the entries is EFAULT; kvm_set_irq_routing refuses any gsi ≥ KVM_MAX_IRQ_ROUTES,
 * then entry by entry: flags (an MSI entry may carry KVM_MSI_VALID_DEVID only; others none), a second
 * irqchip entry of one GSI on the same irqchip or any second entry next to a non-irqchip one, the
 * type (irqchip or MSI) and the irqchip/pin limits — each EINVAL. A refused table leaves the old one.
 */
import { EFAULT, EINVAL, ENODEV } from "../abi/errno.js";
import {
  KVM_IRQ_ROUTING_ENTRIES, KVM_IRQ_ROUTING_ENTRY_SIZE, KVM_IRQ_ROUTING_IRQCHIP, KVM_IRQ_ROUTING_MSI,
  KVM_MAX_IRQ_ROUTES, KVM_MSI_VALID_DEVID,
} from "../abi/structs/irq.js";
import { viewOf, type IoctlArg } from "./uaccess.js";

/** What the architecture's in-kernel irqchip offers the routing code. */
export interface KvmArchIrqchip {
  /** KVM_NR_IRQCHIPS. */
  readonly nrIrqchips: number;
  /** KVM_IRQCHIP_NUM_PINS. */
  readonly numPins: number;
  /** kvm_arch_intc_initialized: KVM_IRQFD is EAGAIN until it is. */
  intcInitialized(): boolean;
  /** An irqchip entry's `set`: drive (irqchip, pin) to `level`; >= 0 or a negative errno. */
  setIrqchipPin(irqchip: number, pin: number, level: boolean): number;
  /** An MSI entry's `set`; absent: -ENODEV (no MSI controller, e.g. a GICv2 without ITS). */
  setMsi?(entry: Readonly<KvmIrqRoutingEntry>, level: boolean): number;
}

/** struct kvm_irq_routing_entry, decoded: `irqchip`/`pin` for IRQCHIP, `msi` words for MSI. */
export interface KvmIrqRoutingEntry {
  gsi: number;
  type: number;
  flags: number;
  irqchip: number;
  pin: number;
  /** address_lo, address_hi, data, devid. */
  msi: [number, number, number, number];
}

/** Decodes `nr` 48-byte entries (gsi @0, type @4, flags @8, union @16). */
export function decodeRoutingEntries(bytes: Uint8Array, nr: number): KvmIrqRoutingEntry[] {
  const v = viewOf(bytes);
  const out: KvmIrqRoutingEntry[] = [];
  for (let i = 0; i < nr; i++) {
    const b = i * KVM_IRQ_ROUTING_ENTRY_SIZE;
    const u = b + 16;
    out.push({
      gsi: v.getUint32(b, true), type: v.getUint32(b + 4, true), flags: v.getUint32(b + 8, true),
      irqchip: v.getUint32(u, true), pin: v.getUint32(u + 4, true),
      msi: [v.getUint32(u, true), v.getUint32(u + 4, true), v.getUint32(u + 8, true), v.getUint32(u + 12, true)],
    });
  }
  return out;
}

type AckNotifier = () => void;

export class KvmIrqRouting {
  /** Entries per GSI (rt->map); GSIs at or above `nrRtEntries` have none. */
  private map: KvmIrqRoutingEntry[][] = [];
  /** rt->chip[irqchip][pin] → the GSI routed there last, or -1. */
  private chip: Int32Array;
  /** kvm->irq_ack_notifier_list: by GSI. */
  private readonly ackNotifiers = new Map<number, Set<AckNotifier>>();

  constructor(readonly arch: KvmArchIrqchip) {
    this.chip = new Int32Array(arch.nrIrqchips * arch.numPins).fill(-1);
  }

  /** rt->nr_rt_entries: highest GSI + 1 (1 for an empty table). */
  get nrRtEntries(): number {
    return this.map.length;
  }

  /** The entries of `gsi` (kvm_irq_map_gsi), for tests and diagnostics. */
  entriesOf(gsi: number): readonly Readonly<KvmIrqRoutingEntry>[] {
    return gsi >= 0 && gsi < this.map.length ? this.map[gsi]! : [];
  }

  /** KVM_SET_GSI_ROUTING (kvm_vm_ioctl): header, entries, then kvm_set_irq_routing. */
  ioctlSetGsiRouting(arg: IoctlArg): number {
    const head = arg.copyIn(KVM_IRQ_ROUTING_ENTRIES);
    if (head === null) return -EFAULT;
    const hv = viewOf(head);
    const nr = hv.getUint32(0, true), flags = hv.getUint32(4, true);
    if (nr > KVM_MAX_IRQ_ROUTES) return -EINVAL;
    if (flags !== 0) return -EINVAL;
    let entries: KvmIrqRoutingEntry[] = [];
    if (nr > 0) {
      const all = arg.copyIn(KVM_IRQ_ROUTING_ENTRIES + nr * KVM_IRQ_ROUTING_ENTRY_SIZE);
      if (all === null) return -EFAULT;
      entries = decodeRoutingEntries(all.subarray(KVM_IRQ_ROUTING_ENTRIES), nr);
    }
    return this.set(entries);
  }

  /** kvm_set_irq_routing: replaces the whole table, or leaves it and returns -EINVAL. */
  set(entries: readonly KvmIrqRoutingEntry[]): number {
    let maxGsi = 0;
    for (const e of entries) {
      if (e.gsi >= KVM_MAX_IRQ_ROUTES) return -EINVAL;
      if (e.gsi > maxGsi) maxGsi = e.gsi;
    }
    const map: KvmIrqRoutingEntry[][] = Array.from({ length: maxGsi + 1 }, () => []);
    const chip = new Int32Array(this.arch.nrIrqchips * this.arch.numPins).fill(-1);
    for (const ue of entries) {
      if (ue.type === KVM_IRQ_ROUTING_MSI ? (ue.flags & ~KVM_MSI_VALID_DEVID) !== 0 : ue.flags !== 0) return -EINVAL;
      const r = this.setupEntry(map, chip, ue);
      if (r < 0) return r;
    }
    this.map = map;
    this.chip = chip;
    return 0;
  }

  /** setup_routing_entry + kvm_set_routing_entry. */
  private setupEntry(map: KvmIrqRoutingEntry[][], chip: Int32Array, ue: KvmIrqRoutingEntry): number {
    const list = map[ue.gsi]!;
    for (const ei of list) {
      if (ei.type !== KVM_IRQ_ROUTING_IRQCHIP || ue.type !== KVM_IRQ_ROUTING_IRQCHIP || ue.irqchip === ei.irqchip) return -EINVAL;
    }
    const e: KvmIrqRoutingEntry = { ...ue, msi: [...ue.msi] };
    if (e.type === KVM_IRQ_ROUTING_IRQCHIP) {
      if (e.pin >= this.arch.numPins || e.irqchip >= this.arch.nrIrqchips) return -EINVAL;
      chip[e.irqchip * this.arch.numPins + e.pin] = e.gsi;
    } else if (e.type !== KVM_IRQ_ROUTING_MSI) {
      return -EINVAL;
    }
    list.unshift(e); // hlist_add_head
    return 0;
  }

  /** The default table of an irqchip with `pins` inputs: GSI g → irqchip 0 pin g. */
  setDefault(pins: number): number {
    const entries: KvmIrqRoutingEntry[] = [];
    for (let g = 0; g < pins; g++) entries.push({ gsi: g, type: KVM_IRQ_ROUTING_IRQCHIP, flags: 0, irqchip: 0, pin: g, msi: [0, 0, 0, 0] });
    return this.set(entries);
  }

  /**
   * kvm_set_irq: every entry of `gsi` is set to `level`; the sum of the non-negative results, or -1
   * when there is none (an unrouted GSI, or all failed).
   */
  setIrq(gsi: number, level: boolean): number {
    let ret = -1;
    for (const e of this.entriesOf(gsi)) {
      const r = e.type === KVM_IRQ_ROUTING_IRQCHIP
        ? this.arch.setIrqchipPin(e.irqchip, e.pin, level)
        : this.arch.setMsi?.(e, level) ?? -ENODEV;
      if (r < 0) continue;
      ret = r + (ret < 0 ? 0 : ret);
    }
    return ret;
  }

  /** kvm_irq_map_chip_pin: the GSI routed to (irqchip, pin), or -1. */
  mapChipPin(irqchip: number, pin: number): number {
    if (irqchip < 0 || irqchip >= this.arch.nrIrqchips || pin < 0 || pin >= this.arch.numPins) return -1;
    return this.chip[irqchip * this.arch.numPins + pin]!;
  }

  /** kvm_notify_acked_irq: the guest completed (irqchip, pin); its GSI's ack notifiers run. */
  notifyAckedIrq(irqchip: number, pin: number): void {
    const gsi = this.mapChipPin(irqchip, pin);
    if (gsi === -1) return;
    const set = this.ackNotifiers.get(gsi);
    if (set === undefined) return;
    for (const fn of [...set]) fn();
  }

  /** Whether anyone listens for acks of (irqchip, pin) (kvm_irq_has_notifier). */
  hasAckNotifier(irqchip: number, pin: number): boolean {
    const gsi = this.mapChipPin(irqchip, pin);
    return gsi !== -1 && (this.ackNotifiers.get(gsi)?.size ?? 0) > 0;
  }

  registerAckNotifier(gsi: number, fn: AckNotifier): void {
    let set = this.ackNotifiers.get(gsi);
    if (set === undefined) this.ackNotifiers.set(gsi, (set = new Set()));
    set.add(fn);
  }

  unregisterAckNotifier(gsi: number, fn: AckNotifier): void {
    const set = this.ackNotifiers.get(gsi);
    if (set === undefined) return;
    set.delete(fn);
    if (set.size === 0) this.ackNotifiers.delete(gsi);
  }
}
