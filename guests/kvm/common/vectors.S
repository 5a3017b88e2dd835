/*
 * Vector table: IRQ saves the caller-saved registers and calls irq_handler() (the guest's own),
 * returning with SUBS PC, LR, #4; every other exception is unexpected in these guests and ends the
 * run through exc_fatal(vector, lr, spsr).
 */
        .syntax unified
        .arm
        .text
        .balign 32
        .global vectors
vectors:
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        ldr     pc, [pc, #24]
        .word   v_0, v_1, v_2, v_3, v_4, v_5, h_irq, v_7

        .macro  FATAL n
v_\n:   mov     r0, #\n
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
        FATAL 7

h_irq:  sub     lr, lr, #4
        push    {r0-r3, r12, lr}
        mov     r0, sp                  @ keep the call 8-byte aligned
        and     r1, r0, #4
        sub     sp, sp, r1
        push    {r1, r2}
        bl      irq_handler
        pop     {r1, r2}
        add     sp, sp, r1
        pop     {r0-r3, r12, lr}
        movs    pc, lr
