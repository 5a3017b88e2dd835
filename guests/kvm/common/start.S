/*
 * Entry. `_start`: the boot CPU as QEMU's `virt -kernel` (and the tskvm harness) starts a bare ELF:
 * SVC mode, A/I/F masked, MMU off. `secondary_start`: a CPU started with PSCI CPU_ON, context id in
 * r0. Each CPU takes its stacks from its MPIDR (Aff1 * 4 + Aff0): 32 KiB at 0x40100000 + 0x8000 * n,
 * IRQ/ABT/UND 4 KiB each below the SVC stack.
 */
        .syntax unified
        .arm
        .section .text.start, "ax"
        .global _start
_start:
        bl      stacks_for_this_cpu
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
1:      cmp     r0, r1
        strlo   r2, [r0], #4
        blo     1b
        bl      main
        bl      finish

        .global secondary_start
secondary_start:
        mov     r4, r0                  @ context id
        bl      stacks_for_this_cpu
        mov     r0, r4
        bl      secondary_main
        mov     r0, #0x84000000         @ PSCI CPU_OFF if secondary_main returns
        add     r0, r0, #2
        hvc     #0
2:      wfi
        b       2b

@ Sets SP of IRQ, ABT, UND and SVC mode for this CPU, VBAR, and returns in SVC mode. Clobbers r0-r2.
stacks_for_this_cpu:
        mrc     p15, 0, r0, c0, c0, 5   @ MPIDR
        and     r1, r0, #0xff           @ Aff0
        ubfx    r2, r0, #8, #8          @ Aff1
        add     r1, r1, r2, lsl #2
        ldr     r0, =0x40108000
        add     r0, r0, r1, lsl #15     @ top of this CPU's 32 KiB
        cps     #0x12                   @ IRQ
        sub     sp, r0, #0x6000
        cps     #0x17                   @ ABT
        sub     sp, r0, #0x5000
        cps     #0x1b                   @ UND
        sub     sp, r0, #0x4000
        cps     #0x13                   @ SVC
        mov     sp, r0
        ldr     r0, =vectors
        mcr     p15, 0, r0, c12, c0, 0  @ VBAR
        isb
        bx      lr
        .ltorg
