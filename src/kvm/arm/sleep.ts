/**
 * How a waiting vCPU sleeps inside KVM_RUN and how it is woken (Linux: kvm_vcpu_block / vcpu_sleep
 * and kvm_vcpu_kick). Reference kvm-arm32-abi.md §4.2 row 6, §7 (POWER_OFF), §8.2 (CPU_SUSPEND).
 *
 * Each vCPU has one wait word in a SharedArrayBuffer (ArmVcpu.wakeWord): 0 = nothing happened since
 * the waiter looked, non-zero = kicked. A vCPU
 * that waits (WFI with no interrupt pending, PSCI CPU_SUSPEND, powered off) sleeps with
 * `Atomics.wait` on that word until a kick, its next timer deadline or the end of its KVM_RUN time
 * slice, whichever comes first, so no host CPU is burned. Whoever makes the vCPU runnable kicks it:
 * - the VM's vGIC host callback when a CPU interface raises IRQ/FIQ (KVM_IRQ_LINE, SGIs, timers),
 * - PSCI CPU_ON (psci.ts), KVM_SET_MP_STATE(RUNNABLE), KVM_IRQ_LINE of type CPU without a vGIC
 *   (all through ArmVcpu.kick).
 *
 * No wake-up is lost: the waiter clears the word *before* it checks whether it may run, and
 * `Atomics.wait(word, 0, 0)` returns at once if a kick set the word in between. With a
 * single-threaded VMM the kick comes between two KVM_RUN calls (it simply keeps the next call from
 * sleeping); with vCPU worker threads (a later step) it interrupts a sleep in progress — the word
 * already lives in shared memory for that.
 *
 * PSCI CPU_SUSPEND asks the run loop, through `requestVcpuBlock`, to block the vCPU as for WFI
 * before it executes its next instruction (kvm_vcpu_block called from the PSCI handler in Linux).
 */

/**
 * A vCPU's wait word (ArmVcpu.wakeWord): [0] is bumped by every kick (ArmVcpu.kick: Atomics.add +
 * Atomics.notify) and cleared by the waiter before it checks whether it may run.
 */
export type WakeWord = Int32Array;

/** Sleeps and wake-ups so far, over all vCPUs (diagnostics and tests). */
export const sleepStats = { sleeps: 0, sleptMs: 0 };

/** Start a wait: forget earlier kicks. Call before checking whether the vCPU may run. */
export function prepareToWait(word: WakeWord): void {
  Atomics.store(word, 0, 0);
}

/** Whether a kick arrived since `prepareToWait`. */
export function kicked(word: WakeWord): boolean {
  return Atomics.load(word, 0) !== 0;
}

/**
 * Sleep for at most `ms` milliseconds unless a kick arrived since `prepareToWait`; true if woken by
 * a kick (now or earlier), false on timeout.
 */
export function sleepOn(word: WakeWord, ms: number): boolean {
  if (!(ms > 0)) return kicked(word);
  const t0 = performance.now();
  const r = Atomics.wait(word, 0, 0, ms);
  sleepStats.sleeps++;
  sleepStats.sleptMs += performance.now() - t0;
  return r !== "timed-out";
}

const blockRequests = new WeakSet<object>();

/** PSCI CPU_SUSPEND: block the vCPU as WFI does (until an interrupt is pending) before it runs on. */
export function requestVcpuBlock(vcpu: object): void {
  blockRequests.add(vcpu);
}

/** The run loop takes a pending block request (true once per request). */
export function takeBlockRequest(vcpu: object): boolean {
  return blockRequests.delete(vcpu);
}

/** What a blocked vCPU needs from the run loop while it sleeps. */
export interface BlockConditions {
  /** The vCPU may run again (an interrupt is pending for a WFI; powered on for a stopped vCPU). */
  runnable(): boolean;
  /** Milliseconds until this vCPU's next timer event (Infinity: none armed). */
  nextTimerMs(): number;
  /** Called after every wake-up, before `runnable()` is asked again: propagate timer levels. */
  refresh(): void;
}

/**
 * kvm_vcpu_block: sleep until `runnable()` or until `deadline` (performance.now() milliseconds).
 * Returns true if the vCPU became runnable, false if the deadline passed first. Timer deadlines in
 * between wake the sleeper so that `refresh` can raise the timer's interrupt (which may make the
 * vCPU runnable); a timer whose output does not make it runnable (masked at the GIC, no vGIC) simply
 * lets it sleep on.
 */
export function kvmVcpuBlock(word: WakeWord, deadline: number, c: BlockConditions): boolean {
  for (;;) {
    prepareToWait(word);
    c.refresh();
    if (c.runnable()) return true;
    const now = performance.now();
    if (now >= deadline) return false;
    const timer = c.nextTimerMs();
    // A timer that is due now but does not make the vCPU runnable must not spin: sleep to the deadline.
    const ms = timer > 0 ? Math.min(deadline - now, timer + TIMER_SLACK_MS) : deadline - now;
    sleepOn(word, ms);
  }
}

/**
 * Added to a timer sleep so that the count has reached CVAL when the sleeper wakes (the count is
 * computed from performance.now() in ticks and truncated; waking a hair early would sleep twice).
 */
const TIMER_SLACK_MS = 0.05;
