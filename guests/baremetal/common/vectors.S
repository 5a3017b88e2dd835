/*
 * Vector tables and exception entry/return. Every handler saves a struct frame (baremetal.h) on its
 * mode's stack, calls exc_dispatch(frame, vector), restores (possibly changed) SPSR and registers,
 * and returns with a different architected exception-return form per vector, so each form is
 * exercised whenever its exception is:
 *   UNDEF: MOVS PC, LR          SVC: LDM SP!, {..., PC}^      prefetch abort: SUBS PC, LR, #4
 *   data abort: SUBS PC, LR, #8  IRQ: SUBS PC, LR, #4          FIQ: SRSDB + RFEIA
 */
        .syntax unified
        .arm
        .text

        .macro  TABLE_ENTRIES
        .word   h_reset, h_und, h_svc, h_pabt, h_dabt, h_unused, h_irq, h_fiq
        .endm

        .balign 32
        .global vectors_arm
vectors_arm:                            @ ARM state: LDR PC, [PC, #24] -> literal 32 bytes on
        .rept   8
        ldr     pc, [pc, #24]
        .endr
        TABLE_ENTRIES

        .balign 32
        .global vectors_thumb
vectors_thumb:                          @ Thumb state (SCTLR.TE): LDR.W PC, [PC, #28] interworks to ARM
        .rept   8
        .inst   0xf01cf8df              @ halfwords F8DF F01C: LDR.W PC, [PC, #28]
        .endr
        TABLE_ENTRIES

        .balign 32
        .global vectors_fatal
vectors_fatal:                          @ a table that must not be used: every entry fails the guest
        .rept   8
        ldr     pc, [pc, #24]
        .endr
        .word   f_0, f_1, f_2, f_3, f_4, f_5, f_6, f_7

        .macro  FATAL n
f_\n:   mov     r0, #\n
        mov     r1, lr
        mrs     r2, spsr
        b       exc_fatal
        .endm
        FATAL 0
        FATAL 1
        FATAL 2
        FATAL 3
        FATAL 4
        FATAL 5
        FATAL 6
        FATAL 7

        .macro  SAVE vec
        push    {r0-r12, lr}
        sub     sp, sp, #8
        mrs     r0, spsr
        mrs     r1, cpsr
        stm     sp, {r0, r1}
        mov     r0, sp
        mov     r1, #\vec
        bl      exc_dispatch
        ldr     r0, [sp]
        msr     spsr_fsxc, r0
        add     sp, sp, #8
        .endm

h_reset:
h_unused:
        mov     r0, #0
        mov     r1, lr
        mrs     r2, spsr
        b       exc_fatal

h_und:  SAVE    1
        pop     {r0-r12, lr}
        movs    pc, lr

h_svc:  SAVE    2
        ldm     sp!, {r0-r12, pc}^

h_pabt: SAVE    3
        pop     {r0-r12, lr}
        subs    pc, lr, #4

h_dabt: SAVE    4
        pop     {r0-r12, lr}
        subs    pc, lr, #8

h_irq:  SAVE    6
        pop     {r0-r12, lr}
        subs    pc, lr, #4

h_fiq:  SAVE    7
        pop     {r0-r12, lr}
        sub     lr, lr, #4
        srsdb   sp!, #0x11
        rfeia   sp!
