/**
 * Runs system calls without a CPU: a process whose "CPU" is just a register file, with a scratch
 * mapping for arguments. `call(nr, ...args)` loads r7/r0.. and dispatches like an SVC stop would.
 */
import { PROT_READ, PROT_WRITE } from "../../src/user/address-space.js";
import { UserProcess, type HostContext } from "../../src/user/process.js";
import { dispatchSyscall } from "../../src/user/syscalls/index.js";

export const SCRATCH = 0x20000000;

export function makeProcess(overrides: Partial<HostContext> = {}): { p: UserProcess; call: (nr: number, ...args: number[]) => number; invalidated: Array<[number, number]> } {
  const invalidated: Array<[number, number]> = [];
  const cpu = { regs: new Int32Array(16), pc: 0, cpsr: 0x10, tpidruro: 0, invalidateCode: (a: number, l: number) => void invalidated.push([a, l]) };
  const host: HostContext = {
    pid: 4242, ppid: 1, uid: 1000, gid: 1000, euid: 1000, egid: 1000, cwd: "/", stdio: [0, 1, 2],
    isTerminal: () => false, windowSize: () => null, trace: null, ...overrides,
  };
  const p = new UserProcess(cpu, host);
  p.attachCpu(cpu);
  p.space.map(SCRATCH, 0x10000, PROT_READ | PROT_WRITE);
  p.brkStart = p.brk = 0x30000;
  const call = (nr: number, ...args: number[]): number => {
    cpu.regs.fill(0);
    args.forEach((a, i) => (cpu.regs[i] = a));
    cpu.regs[7] = nr;
    dispatchSyscall(p);
    return cpu.regs[0];
  };
  return { p, call, invalidated };
}

/** Writes a NUL-terminated string at `addr` and returns `addr`. */
export function putString(p: UserProcess, addr: number, s: string): number {
  p.space.write(addr, new TextEncoder().encode(s + "\0"));
  return addr;
}
