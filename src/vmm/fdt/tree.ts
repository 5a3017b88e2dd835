// An in-memory device tree: nodes with ordered properties and children, phandle allocation, and a
// memory reservation list. `flatten()` (blob.ts) turns it into the flattened form a kernel reads.

import type { PropertyValue } from "./property.js";
import { u32 } from "./property.js";

/** Node names: node-name[@unit-address], DT spec §2.2.1 (1–31 chars of [0-9a-zA-Z,._+-]). */
const NODE_NAME = /^[0-9a-zA-Z,._+-]{1,31}(@[0-9a-zA-Z,._+-]+)?$/;
/** Property names: DT spec §2.2.4.1 (1–31 chars of [0-9a-zA-Z,._+?#-]). */
const PROPERTY_NAME = /^[0-9a-zA-Z,._+?#-]{1,31}$/;

export class DeviceTreeNode {
  readonly properties = new Map<string, PropertyValue>();
  readonly children: DeviceTreeNode[] = [];

  constructor(readonly name: string) {}

  /** Sets (or replaces, keeping its position) a property. Returns this node for chaining. */
  set(name: string, value: PropertyValue): this {
    if (!PROPERTY_NAME.test(name)) throw new RangeError(`invalid device tree property name "${name}"`);
    this.properties.set(name, value);
    return this;
  }

  get(name: string): PropertyValue | undefined {
    return this.properties.get(name);
  }

  /** Adds a child node; names must be unique among siblings. */
  addNode(name: string): DeviceTreeNode {
    if (!NODE_NAME.test(name)) throw new RangeError(`invalid device tree node name "${name}"`);
    if (this.children.some((c) => c.name === name)) {
      throw new RangeError(`duplicate device tree node "${name}" under "${this.name || "/"}"`);
    }
    const child = new DeviceTreeNode(name);
    this.children.push(child);
    return child;
  }

  child(name: string): DeviceTreeNode | undefined {
    return this.children.find((c) => c.name === name);
  }

  /**
   * Inserts a new child at `index` (default: the end) without the DT-spec name checks of addNode:
   * for trees read from a blob, whose names were the author's to choose (dtc only warns about
   * long or unusual names, and Linux reads them). Names must still be unique among siblings.
   */
  insertNode(name: string, index = this.children.length): DeviceTreeNode {
    if (this.children.some((c) => c.name === name)) {
      throw new RangeError(`duplicate device tree node "${name}" under "${this.name || "/"}"`);
    }
    const child = new DeviceTreeNode(name);
    this.children.splice(index, 0, child);
    return child;
  }

  /** Removes a child node; returns whether there was one of that name. */
  removeNode(name: string): boolean {
    const at = this.children.findIndex((c) => c.name === name);
    if (at < 0) return false;
    this.children.splice(at, 1);
    return true;
  }
}

/** One /memreserve/ entry: a physical range the kernel must not use. */
export interface MemoryReservation {
  address: bigint;
  size: bigint;
}

export class DeviceTree {
  /** The root node; its name is the empty string, as in the structure block. */
  readonly root = new DeviceTreeNode("");
  readonly reservations: MemoryReservation[] = [];
  /** The physical id of the boot CPU (header field boot_cpuid_phys). */
  bootCpuidPhys = 0;
  private nextPhandle = 1;

  /**
   * Gives `node` a phandle (the "phandle" property, DT spec §2.3.3) if it has none, and returns it.
   * Values start at 1 and are unique in this tree (0 and 0xFFFFFFFF are not valid phandles).
   */
  phandle(node: DeviceTreeNode): number {
    const existing = node.get("phandle");
    if (existing) return new DataView(existing.buffer, existing.byteOffset).getUint32(0, false);
    const value = this.nextPhandle++;
    if (value >= 0xffffffff) throw new RangeError("device tree phandles exhausted");
    node.set("phandle", u32(value));
    return value;
  }

  /** Finds a node by absolute path ("/", "/cpus/cpu@0"). */
  find(path: string): DeviceTreeNode | undefined {
    if (!path.startsWith("/")) return undefined;
    let node: DeviceTreeNode | undefined = this.root;
    for (const part of path.split("/").filter((p) => p.length > 0)) {
      node = node.child(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Makes every later phandle() value larger than `used` (a phandle read from a blob). */
  notePhandle(used: number): void {
    if (used >= this.nextPhandle && used < 0xffffffff) this.nextPhandle = used + 1;
  }

  reserve(address: bigint | number, size: bigint | number): void {
    this.reservations.push({ address: BigInt(address), size: BigInt(size) });
  }
}
