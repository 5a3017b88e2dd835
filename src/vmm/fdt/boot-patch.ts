// A user's device tree made bootable for the machine it is given to, as QEMU's `-dtb` does on ARM
// (hw/arm/boot.c, arm_load_dtb): the user's nodes stay as they are, and
//   - the root's #address-cells / #size-cells must be present and non-zero; every value written
//     below is encoded with them (1 or 2 cells, like QEMU's qemu_fdt_setprop_sized_cells);
//   - every /memory and /memory@… node is dropped and one /memory@<base> node describes the RAM
//     actually given: device_type = "memory", reg = <base size>;
//   - /chosen is created when missing; bootargs is set when there is a (non-empty) command line,
//     linux,initrd-start / linux,initrd-end when there is an initrd (end exclusive);
//   - a /psci node is added when the tree has none (an existing one is kept as it is).
// New nodes become the first children of their parent, where libfdt's fdt_add_subnode puts them.

import { DeviceTree, type DeviceTreeNode } from "./tree.js";
import { flatten } from "./blob.js";
import { FdtFormatError, parseDtb } from "./parse.js";
import { addressCells, cells, string } from "./property.js";

export interface BootPatch {
  /** The RAM the guest gets (guest-physical). */
  readonly memory: { readonly base: number; readonly size: number };
  /** Kernel command line; an empty or absent one leaves /chosen/bootargs alone. */
  readonly bootargs?: string;
  /** Initrd range in guest-physical addresses, end exclusive. */
  readonly initrd?: { readonly start: number; readonly end: number };
  /** Describes the machine's PSCI in a new /psci node (used only when the tree has none). */
  readonly psci?: (node: DeviceTreeNode) => void;
}

/** A root cell-count property, as QEMU requires it: present, one cell, 1 or 2. */
function rootCells(tree: DeviceTree, name: "#address-cells" | "#size-cells"): number {
  const value = tree.root.get(name);
  if (!value) throw new FdtFormatError(`the root node has no ${name} property`);
  if (value.length !== 4) throw new FdtFormatError(`the root's ${name} is ${value.length} bytes long, not one cell`);
  const n = new DataView(value.buffer, value.byteOffset, 4).getUint32(0, false);
  if (n === 0) throw new FdtFormatError(`the root's ${name} is 0`);
  if (n > 2) throw new FdtFormatError(`the root's ${name} is ${n}: only 1 or 2 cells are supported`);
  return n;
}

function sized(value: number, count: number, what: string): number[] {
  try {
    return addressCells(value, count);
  } catch {
    throw new FdtFormatError(`${what} 0x${value.toString(16)} does not fit in the tree's ${count}-cell ${count === 1 ? "value" : "values"}`);
  }
}

/** Applies `patch` to `tree` in place. */
export function patchBootTree(tree: DeviceTree, patch: BootPatch): void {
  const acells = rootCells(tree, "#address-cells");
  const scells = rootCells(tree, "#size-cells");
  const root = tree.root;

  const isMemory = (n: DeviceTreeNode) => n.name === "memory" || n.name.startsWith("memory@");
  const firstMemory = root.children.findIndex(isMemory);
  for (const n of root.children.filter(isMemory)) root.removeNode(n.name);
  const { base, size } = patch.memory;
  root
    .insertNode(`memory@${base.toString(16)}`, Math.max(firstMemory, 0))
    .set("device_type", string("memory"))
    .set("reg", cells(...sized(base, acells, "RAM base"), ...sized(size, scells, "RAM size")));

  const chosen = root.child("chosen") ?? root.insertNode("chosen", 0);
  if (patch.bootargs) chosen.set("bootargs", string(patch.bootargs));
  if (patch.initrd) {
    chosen
      .set("linux,initrd-start", cells(...sized(patch.initrd.start, acells, "initrd start")))
      .set("linux,initrd-end", cells(...sized(patch.initrd.end, acells, "initrd end")));
  }

  if (patch.psci && !root.child("psci")) patch.psci(root.insertNode("psci", 0));
}

/** Parses `blob`, patches it and writes it again. Throws FdtFormatError for a blob it cannot use. */
export function patchBootDtb(blob: Uint8Array, patch: BootPatch): Uint8Array {
  const tree = parseDtb(blob);
  patchBootTree(tree, patch);
  return flatten(tree);
}
