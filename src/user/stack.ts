/**
 * The initial process stack, laid out as Linux's create_elf_tables does on 32-bit ARM:
 *
 *   STACK_TOP → program path (AT_EXECFN), environment strings, argument strings,
 *               AT_PLATFORM string "v7l", 16 AT_RANDOM bytes,
 *               (16-byte aligned) argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs, AT_NULL ← sp
 */
import { PAGE_SIZE } from "../arch/arm/memory.js";
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from "./address-space.js";
import type { LoadedProgram } from "./elf.js";

/** ARM's TASK_SIZE (3G/1G split minus 16 MiB for modules): the stack grows down from here. */
export const STACK_TOP = 0xbf000000;
/** RLIMIT_STACK default: 8 MiB. */
export const STACK_SIZE = 8 * 1024 * 1024;

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;

/** arch/arm/include/uapi/asm/hwcap.h */
export const HWCAP_SWP = 1 << 0;
export const HWCAP_HALF = 1 << 1;
export const HWCAP_THUMB = 1 << 2;
export const HWCAP_FAST_MULT = 1 << 4;
export const HWCAP_VFP = 1 << 6;
export const HWCAP_EDSP = 1 << 7;
export const HWCAP_NEON = 1 << 12;
export const HWCAP_VFPv3 = 1 << 13;
export const HWCAP_TLS = 1 << 15;
export const HWCAP_VFPv4 = 1 << 16;
export const HWCAP_IDIVA = 1 << 17;
export const HWCAP_IDIVT = 1 << 18;
export const HWCAP_VFPD32 = 1 << 19;
export const HWCAP_LPAE = 1 << 20;

/**
 * What Linux reports for the CPUs tskvm emulates. Cortex-A15 and Cortex-A7 share one feature set
 * (ARMv7-A with VFPv4-D32 and Advanced SIMD, hardware divide, LPAE). NEON: arch/arm/vfp/vfpmodule.c
 * sets HWCAP_NEON when MVFR1 & 0x000fff00 == 0x00011100 (SIMD load/store, integer and single
 * precision all 1), which the Cortex-A15's MVFR1 (0x11111111) satisfies; no other bit depends on it.
 */
export function hwcapFor(_model: "cortex-a15" | "cortex-a7"): number {
  return (
    HWCAP_SWP | HWCAP_HALF | HWCAP_THUMB | HWCAP_FAST_MULT | HWCAP_VFP | HWCAP_EDSP | HWCAP_TLS | HWCAP_NEON |
    HWCAP_VFPv3 | HWCAP_VFPv4 | HWCAP_IDIVA | HWCAP_IDIVT | HWCAP_VFPD32 | HWCAP_LPAE
  ) >>> 0;
}

export interface StackSetup {
  /** argv[0] onwards, as the program should see them. */
  argv: string[];
  /** "NAME=value" strings. */
  envp: string[];
  /** The path the program was executed by (AT_EXECFN). */
  execfn: string;
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  hwcap: number;
  hwcap2: number;
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array;
}

export interface InitialStack {
  /** Initial sp: points at argc. */
  sp: number;
  /** Lowest address of the stack mapping. */
  limit: number;
  /** Addresses of the AT_RANDOM bytes and AT_EXECFN string (for tests and tracing). */
  randomAddr: number;
  execfnAddr: number;
}

/** Maps an 8 MiB stack below STACK_TOP and writes argc/argv/envp/auxv/strings onto it. */
export function buildInitialStack(space: AddressSpace, program: LoadedProgram, setup: StackSetup): InitialStack {
  const limit = STACK_TOP - STACK_SIZE;
  space.map(limit, STACK_SIZE, PROT_READ | PROT_WRITE | (program.execStack ? PROT_EXEC : 0));

  const encoder = new TextEncoder();
  let p = STACK_TOP - 4; // Linux leaves the last word of the stack as a NULL end marker
  const pushString = (s: string): number => {
    const bytes = encoder.encode(s + "\0");
    p -= bytes.length;
    space.poke(p, bytes);
    return p;
  };
  const execfnAddr = pushString(setup.execfn);
  // Strings are copied last-first downwards, so argv[0] ends up lowest and they read in order.
  const envAddrs = [...setup.envp].reverse().map(pushString).reverse();
  const argAddrs = [...setup.argv].reverse().map(pushString).reverse();
  p = (p & ~3) >>> 0;
  const platformAddr = pushString("v7l");
  p = (p & ~15) >>> 0;
  p -= 16;
  const randomAddr = p;
  space.poke(randomAddr, setup.random.subarray(0, 16));

  const auxv: Array<[number, number]> = [
    [AT_HWCAP, setup.hwcap],
    [AT_PAGESZ, PAGE_SIZE],
    [AT_CLKTCK, 100],
    [AT_PHDR, program.phdr],
    [AT_PHENT, program.phent],
    [AT_PHNUM, program.phnum],
    [AT_BASE, 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, program.entry],
    [AT_UID, setup.uid],
    [AT_EUID, setup.euid],
    [AT_GID, setup.gid],
    [AT_EGID, setup.egid],
    [AT_SECURE, 0],
    [AT_RANDOM, randomAddr],
    [AT_HWCAP2, setup.hwcap2],
    [AT_EXECFN, execfnAddr],
    [AT_PLATFORM, platformAddr],
    [AT_NULL, 0],
  ];
  const words: number[] = [setup.argv.length, ...argAddrs, 0, ...envAddrs, 0];
  for (const [key, value] of auxv) words.push(key, value);
  const sp = ((p - words.length * 4) & ~15) >>> 0;
  const table = new Uint8Array(words.length * 4);
  const view = new DataView(table.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  space.poke(sp, table);
  return { sp: sp >>> 0, limit, randomAddr, execfnAddr };
}
