/*
 * Single faulting instructions wrapped as functions (ARM state), so a data abort's "skip the
 * instruction" return lands on the BX LR and the C caller sees the default result.
 */
        .syntax unified
        .arm
        .text
        .macro  FUNC name
        .global \name
        .type   \name, %function
\name:
        .endm

FUNC probe_read32
        ldr     r0, [r0]
        bx      lr
FUNC probe_write32
        str     r1, [r0]
        bx      lr
FUNC probe_read16
        ldrh    r0, [r0]
        bx      lr
FUNC probe_ldrd
        mov     r2, #0
        mov     r3, #0
        ldrd    r2, r3, [r0]
        mov     r0, r2
        mov     r1, r3
        bx      lr
FUNC probe_ldm2
        mov     r2, #0
        mov     r3, #0
        ldm     r0, {r2, r3}
        add     r0, r2, r3
        bx      lr
FUNC probe_ldrex
        ldrex   r0, [r0]
        clrex
        bx      lr
FUNC probe_call                         @ u32 probe_call(u32 fn): 0xdead if a prefetch abort resumed
        push    {r4, lr}
        ldr     r4, =exc_resume
        adr     r1, 1f
        str     r1, [r4]
        blx     r0
        mov     r1, #0
        str     r1, [r4]
        pop     {r4, pc}
1:      ldr     r0, =0xdead
        pop     {r4, pc}
        .ltorg

/* Thumb-state exception sources (called through interworking BLX from ARM C code). */
        .thumb
        .macro  TFUNC name
        .global \name
        .type   \name, %function
        .thumb_func
\name:
        .endm
TFUNC thumb_udf                         @ 16-bit UDF: LR = address + 2
        udf     #7
        bx      lr
TFUNC thumb_udf_w                       @ 32-bit UDF.W: LR = address + 2 all the same
        udf.w   #7
        bx      lr
TFUNC thumb_svc                         @ SVC #0x5a at thumb_svc + 2: LR_svc = thumb_svc + 4
        push    {lr}                    @ (SVC from SVC mode overwrites LR_svc)
        svc     #0x5a
        pop     {pc}
TFUNC thumb_ldr                         @ LDR (16-bit) of r0: a data abort from Thumb state
        ldr     r0, [r0]
        bx      lr
