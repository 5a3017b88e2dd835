/** kvm_run.exit_reason values (include/uapi/linux/kvm.h) and the codes carried by some exits. */
export const KVM_EXIT_UNKNOWN = 0;
export const KVM_EXIT_EXCEPTION = 1;
export const KVM_EXIT_IO = 2;
export const KVM_EXIT_HYPERCALL = 3;
export const KVM_EXIT_DEBUG = 4;
export const KVM_EXIT_HLT = 5;
export const KVM_EXIT_MMIO = 6;
export const KVM_EXIT_IRQ_WINDOW_OPEN = 7;
export const KVM_EXIT_SHUTDOWN = 8;
export const KVM_EXIT_FAIL_ENTRY = 9;
export const KVM_EXIT_INTR = 10;
export const KVM_EXIT_SET_TPR = 11;
export const KVM_EXIT_TPR_ACCESS = 12;
export const KVM_EXIT_S390_SIEIC = 13;
export const KVM_EXIT_S390_RESET = 14;
export const KVM_EXIT_DCR = 15;
export const KVM_EXIT_NMI = 16;
export const KVM_EXIT_INTERNAL_ERROR = 17;
export const KVM_EXIT_OSI = 18;
export const KVM_EXIT_PAPR_HCALL = 19;
export const KVM_EXIT_S390_UCONTROL = 20;
export const KVM_EXIT_WATCHDOG = 21;
export const KVM_EXIT_S390_TSCH = 22;
export const KVM_EXIT_EPR = 23;
export const KVM_EXIT_SYSTEM_EVENT = 24;
export const KVM_EXIT_S390_STSI = 25;
export const KVM_EXIT_IOAPIC_EOI = 26;
export const KVM_EXIT_HYPERV = 27;
export const KVM_EXIT_ARM_NISV = 28;

/** system_event.type */
export const KVM_SYSTEM_EVENT_SHUTDOWN = 1;
export const KVM_SYSTEM_EVENT_RESET = 2;
export const KVM_SYSTEM_EVENT_CRASH = 3;

/** internal.suberror */
export const KVM_INTERNAL_ERROR_EMULATION = 1;
export const KVM_INTERNAL_ERROR_SIMUL_EX = 2;
export const KVM_INTERNAL_ERROR_DELIVERY_EV = 3;

/** kvm_mp_state.mp_state */
export const KVM_MP_STATE_RUNNABLE = 0;
export const KVM_MP_STATE_UNINITIALIZED = 1;
export const KVM_MP_STATE_INIT_RECEIVED = 2;
export const KVM_MP_STATE_HALTED = 3;
export const KVM_MP_STATE_SIPI_RECEIVED = 4;
export const KVM_MP_STATE_STOPPED = 5;
export const KVM_MP_STATE_CHECK_STOP = 6;
export const KVM_MP_STATE_OPERATING = 7;
export const KVM_MP_STATE_LOAD = 8;
