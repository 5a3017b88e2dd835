/**
 * The state one emulated kernel instance shares between its files: the architecture, the host address
 * space, the fd table and the host facts capabilities report. One per createHost(), like one process
 * talking to one kernel; two hosts never share fds or memory.
 */
import type { KvmArch } from "./arch.js";
import type { FdTable } from "./fd-table.js";
import type { HostMemory } from "./host-memory.js";

export interface KvmKernel {
  readonly arch: KvmArch;
  readonly mem: HostMemory;
  readonly fds: FdTable;
  /** Online host CPUs (KVM_CAP_NR_VCPUS on ARM reports num_online_cpus()). */
  readonly hostCpus: number;
}
