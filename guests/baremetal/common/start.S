/*
 * Entry as QEMU's `virt -kernel` gives it for a bare ELF (and tskvm's test bus mirrors): SVC mode,
 * IRQ/FIQ/asynchronous aborts masked, MMU and caches off. Sets one stack per mode (0x40100000..),
 * clears .bss, points VBAR at the ARM vector table and calls main(); main's return ends the guest.
 */
        .syntax unified
        .arm
        .section .text.start, "ax"
        .global _start
_start:
        cps     #0x11           @ FIQ
        ldr     sp, =0x40101000
        cps     #0x12           @ IRQ
        ldr     sp, =0x40102000
        cps     #0x17           @ ABT
        ldr     sp, =0x40103000
        cps     #0x1b           @ UND
        ldr     sp, =0x40104000
        cps     #0x1f           @ SYS (and USR)
        ldr     sp, =0x40106000
        cps     #0x13           @ SVC
        ldr     sp, =0x40108000
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
1:      cmp     r0, r1
        strlo   r2, [r0], #4
        blo     1b
        ldr     r0, =vectors_arm
        mcr     p15, 0, r0, c12, c0, 0  @ VBAR
        isb
        bl      main
        bl      finish
        .ltorg
