/*
 * The mmio guest's multi-register, VFP, SETEND and IT-block accesses, each routine assembled twice:
 * ops_arm_* in ARM state and ops_thumb_* in Thumb state (unified syntax; IT is checked and emits
 * nothing in ARM state, where the same conditions sit on the instructions). AAPCS: address in r0.
 */
        .syntax unified
        .fpu    vfpv4
        .text

        .macro  FN name
        .global \name
        .type   \name, %function
        .balign 4
        .endm

        .macro  OPS isa
        FN ops_\isa\()_ldrd             @ u64 (u32 addr)
ops_\isa\()_ldrd:
        ldrd    r0, r1, [r0]
        bx      lr

        FN ops_\isa\()_strd             @ void (u32 addr, u32 unused, u32 lo, u32 hi)
ops_\isa\()_strd:
        strd    r2, r3, [r0]
        bx      lr

        FN ops_\isa\()_stm4             @ void (u32 addr, const u32 src[4])
ops_\isa\()_stm4:
        push    {r4-r7}
        ldm     r1, {r4-r7}
        stm     r0, {r4-r7}
        pop     {r4-r7}
        bx      lr

        FN ops_\isa\()_ldm4_wb          @ u32 base after (u32 addr, u32 dst[4])
ops_\isa\()_ldm4_wb:
        push    {r4-r7}
        ldmia   r0!, {r4-r7}
        stm     r1, {r4-r7}
        pop     {r4-r7}
        bx      lr

        FN ops_\isa\()_ldmdb2           @ u64 (u32 addr): words at addr-8, addr-4
ops_\isa\()_ldmdb2:
        ldmdb   r0, {r0, r1}
        bx      lr

        FN ops_\isa\()_vldr             @ u64 (u32 addr)
ops_\isa\()_vldr:
        vldr    d0, [r0]
        vmov    r0, r1, d0
        bx      lr

        FN ops_\isa\()_vstr             @ void (u32 addr, u32 unused, u32 lo, u32 hi)
ops_\isa\()_vstr:
        vmov    d1, r2, r3
        vstr    d1, [r0]
        bx      lr

        FN ops_\isa\()_setend_ldr       @ u32 (u32 addr): big-endian word load
ops_\isa\()_setend_ldr:
        setend  be
        ldr     r0, [r0]
        setend  le
        bx      lr

        FN ops_\isa\()_setend_strh      @ void (u32 addr, u32 v): big-endian halfword store
ops_\isa\()_setend_strh:
        setend  be
        strh    r1, [r0]
        setend  le
        bx      lr

        FN ops_\isa\()_cond_loads       @ u32 (u32 addr): sum of the loads that must execute
ops_\isa\()_cond_loads:
        push    {r4, lr}
        movs    r3, #0
        movs    r4, #0
        cmp     r0, r0
        itte    eq
        ldreq   r1, [r0]                @ executes
        ldrbeq  r2, [r0, #1]            @ executes
        ldrne   r3, [r0, #8]            @ condition fails: no access
        ite     ne
        ldrne   r12, [r0, #12]          @ condition fails: no access
        ldrheq  r4, [r0, #2]            @ executes
        add     r0, r1, r2
        add     r0, r0, r3
        add     r0, r0, r4
        pop     {r4, pc}
        .endm

        .arm
        OPS     arm
        .thumb
        OPS     thumb

        .arm
        FN vfp_enable
vfp_enable:
        mrc     p15, 0, r0, c1, c0, 2   @ CPACR: full access to CP10 and CP11
        orr     r0, r0, #0xf00000
        mcr     p15, 0, r0, c1, c0, 2
        isb
        mov     r0, #0x40000000         @ FPEXC.EN
        vmsr    fpexc, r0
        bx      lr
