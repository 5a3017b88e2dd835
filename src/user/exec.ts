/**
 * execve for tskvm user: build a fresh process from a program image — load the ELF, map the kuser
 * helper page, build the initial stack, set up brk and stdio, put the CPU at the entry point — and
 * run it, turning CPU stops into system calls and signals until the process ends.
 */
import { randomFillSync } from "node:crypto";
import { ArmCpu, STOP_BKPT, STOP_BUDGET, STOP_DATA_ABORT, STOP_PREFETCH_ABORT, STOP_SVC, STOP_UNDEFINED, STOP_WFE, STOP_WFI } from "../arch/arm/cpu.js";
import { enableFpSimdAccess } from "../arch/arm/fp-simd.js";
import { FSR_ALIGNMENT } from "../arch/arm/stop.js";
import { O_RDONLY, O_RDWR, O_WRONLY } from "./fd-table.js";
import { loadElf, type LoadedProgram } from "./elf.js";
import { mapKuserPage } from "./kuser.js";
import { UserProcess, type HostContext, type ProcessExit } from "./process.js";
import { SIGBUS, SIGILL, SIGSEGV, SIGTRAP, raiseFault } from "./signals.js";
import { buildInitialStack, hwcapFor, type InitialStack } from "./stack.js";
import { hostDescription } from "./syscalls/descriptors.js";
import { dispatchSyscall } from "./syscalls/index.js";

export type CpuModel = "cortex-a15" | "cortex-a7";

export interface ExecOptions {
  /** The program's bytes and the absolute path they came from. */
  image: Uint8Array;
  path: string;
  argv: string[];
  envp: string[];
  model?: CpuModel;
  host: HostContext;
}

export interface StartedProcess {
  process: UserProcess;
  cpu: ArmCpu;
  program: LoadedProgram;
  stack: InitialStack;
}

const CPSR_USR = 0x10;

/** Creates the process and its CPU, ready to run at the program's entry. Throws ExecError. */
export function execProgram(options: ExecOptions): StartedProcess {
  const model = options.model ?? "cortex-a15";
  const placeholder = { regs: new Int32Array(16), pc: 0, cpsr: 0, tpidruro: 0, invalidateCode: () => {} };
  const proc = new UserProcess(placeholder, options.host);
  proc.exePath = options.path;
  const program = loadElf(proc.space, options.image);
  mapKuserPage(proc.space);
  const random = new Uint8Array(16);
  randomFillSync(random);
  const stack = buildInitialStack(proc.space, program, {
    argv: options.argv,
    envp: options.envp,
    execfn: options.argv[0] ?? options.path,
    uid: options.host.uid,
    euid: options.host.euid,
    gid: options.host.gid,
    egid: options.host.egid,
    hwcap: hwcapFor(model),
    hwcap2: 0,
    random,
  });
  proc.brkStart = proc.brk = program.brk;

  const stdioFlags = [O_RDONLY, O_WRONLY, O_WRONLY];
  options.host.stdio.forEach((hostFd, fd) => {
    let desc;
    try {
      desc = hostDescription(hostFd, "", stdioFlags[fd] === O_RDONLY ? O_RDONLY : O_RDWR, false);
    } catch {
      return; // the host has no such fd open: the guest starts with it closed too
    }
    desc.flags = stdioFlags[fd];
    desc.seekable = false; // shared with the host: its offset is the host's, not ours
    proc.fds.installAt(fd, desc, false);
  });

  const cpu = new ArmCpu({ memory: proc.space, model });
  proc.attachCpu(cpu);
  cpu.cpsr = CPSR_USR;
  // Linux runs user space with CPACR cp10/cp11 full access and (lazily) FPEXC.EN set; with no kernel
  // underneath to take the first-use trap, the process starts with both already on.
  enableFpSimdAccess(cpu);
  cpu.regs.fill(0);
  cpu.regs[13] = stack.sp;
  cpu.pc = program.entry;
  return { process: proc, cpu, program, stack };
}

/** Instructions per `cpu.run` call: small enough to stay responsive, large enough to amortise. */
export const RUN_BUDGET = 1_000_000;

/** Runs until the process exits or is killed by a signal. */
export function runProcess(started: StartedProcess): ProcessExit {
  const { process: proc, cpu } = started;
  const info = cpu.stopInfo;
  while (proc.exit === null) {
    const reason = cpu.run(RUN_BUDGET);
    switch (reason) {
      case STOP_BUDGET:
      case STOP_WFI:
      case STOP_WFE:
        break;
      case STOP_SVC:
        dispatchSyscall(proc);
        break;
      case STOP_DATA_ABORT:
        if (info.status === FSR_ALIGNMENT) raiseFault(proc, SIGBUS, `unaligned access to 0x${hex(info.address)} at pc 0x${hex(cpu.pc)}`);
        else raiseFault(proc, SIGSEGV, `${accessName(info.access)} 0x${hex(info.address)} at pc 0x${hex(cpu.pc)}`);
        break;
      case STOP_PREFETCH_ABORT:
        raiseFault(proc, SIGSEGV, `instruction fetch from 0x${hex(info.address)}`);
        break;
      case STOP_BKPT:
        raiseFault(proc, SIGTRAP, `breakpoint at pc 0x${hex(cpu.pc)}`);
        break;
      case STOP_UNDEFINED:
      default:
        raiseFault(proc, SIGILL, `undefined instruction 0x${hex(info.insn)} at pc 0x${hex(cpu.pc)}${cpu.thumb ? " (Thumb)" : ""}`);
        break;
    }
  }
  proc.fds.closeAll();
  return proc.exit;
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

function accessName(access: number): string {
  return access === 1 ? "write to" : access === 2 ? "fetch from" : "read from";
}
