/*
 * mmio: every load/store form against TESTDEV (a userspace device on tskvm: each access is a
 * KVM_EXIT_MMIO the harness completes; plain RAM under QEMU, which is exactly the value semantics a
 * correct completion must reproduce). Values check width, zero/sign extension, byte order (incl.
 * SETEND BE), offsets, register offsets and pre/post-index write-back; LDRD/STRD, LDM/STM (with
 * write-back and DB), VLDR/VSTR and loads inside IT blocks run in both ARM and Thumb state
 * (mmio-ops.S). Before each group the guest writes the group number to TESTDEV+0xffc, so the harness
 * can check the accesses the device saw, in program order, per group.
 *
 * Variants: arm thumb (the C code's own single-register forms are built in both instruction sets)
 */
#include "kvm-guest.h"

#define DEV TESTDEV
#define MARK(n) (REG32(DEV + 0xffc) = (n))

u64 ops_arm_ldrd(u32), ops_thumb_ldrd(u32), ops_arm_ldmdb2(u32), ops_thumb_ldmdb2(u32);
u64 ops_arm_vldr(u32), ops_thumb_vldr(u32);
void ops_arm_strd(u32, u32, u32, u32), ops_thumb_strd(u32, u32, u32, u32);
void ops_arm_vstr(u32, u32, u32, u32), ops_thumb_vstr(u32, u32, u32, u32);
void ops_arm_stm4(u32, const u32 *), ops_thumb_stm4(u32, const u32 *);
u32 ops_arm_ldm4_wb(u32, u32 *), ops_thumb_ldm4_wb(u32, u32 *);
u32 ops_arm_setend_ldr(u32), ops_thumb_setend_ldr(u32);
void ops_arm_setend_strh(u32, u32), ops_thumb_setend_strh(u32, u32);
u32 ops_arm_cond_loads(u32), ops_thumb_cond_loads(u32);
void vfp_enable(void);

#define LD(insn, addr_expr) ({ u32 _v; __asm__ volatile(insn " %0, " addr_expr : "=r"(_v) : "r"(base) : "memory"); _v; })
#define ST(insn, v, addr_expr) __asm__ volatile(insn " %0, " addr_expr ::"r"((u32)(v)), "r"(base) : "memory")

static void single_register_forms(void) {
  u32 base = DEV;
  puts("# widths and extension\n");
  MARK(1);
  ST("str", 0x11223344, "[%1]");
  check("ldr word", 0x11223344, LD("ldr", "[%1]"));
  check("ldrb byte 0 (little-endian)", 0x44, LD("ldrb", "[%1]"));
  check("ldrb byte 3", 0x11, LD("ldrb", "[%1, #3]"));
  check("ldrh halfword 1", 0x1122, LD("ldrh", "[%1, #2]"));
  MARK(2);
  ST("strb", 0x85, "[%1, #4]");
  ST("strb", 0x00, "[%1, #5]");
  check("ldrb 0x85 zero-extends", 0x85, LD("ldrb", "[%1, #4]"));
  check("ldrsb 0x85 sign-extends", 0xffffff85, LD("ldrsb", "[%1, #4]"));
  MARK(3);
  ST("strh", 0x8234, "[%1, #6]");
  check("ldrh 0x8234 zero-extends", 0x8234, LD("ldrh", "[%1, #6]"));
  check("ldrsh 0x8234 sign-extends", 0xffff8234, LD("ldrsh", "[%1, #6]"));
  check("ldr sees the byte and halfword stores", 0x82340085, LD("ldr", "[%1, #4]"));
  check("ldrsb positive byte", 0x34, LD("ldrsb", "[%1, #6]"));

  puts("# addressing\n");
  MARK(4);
  {
    u32 v, idx = 4;
    __asm__ volatile("ldr %0, [%1, %2]" : "=r"(v) : "r"(base), "r"(idx) : "memory");
    check("ldr [base, reg]", 0x82340085, v);
    idx = 3;
    __asm__ volatile("ldrb %0, [%1, %2, lsl #1]" : "=r"(v) : "r"(base), "r"(idx) : "memory");
    check("ldrb [base, reg, lsl #1]", 0x34, v);
  }
  {
    u32 b8 = DEV + 8, v;
    __asm__ volatile("ldr %0, [%1, #-8]" : "=r"(v) : "r"(b8) : "memory");
    check("ldr [base, #-8]", 0x11223344, v);
    __asm__ volatile("ldrsh %0, [%1, #-2]" : "=r"(v) : "r"(b8) : "memory");
    check("ldrsh [base, #-2]", 0xffff8234, v);
  }
  MARK(5);
  {
    u32 b = DEV, v;
    __asm__ volatile("ldr %0, [%1, #4]!" : "=r"(v), "+r"(b)::"memory");
    check("ldr pre-index value", 0x82340085, v);
    check("ldr pre-index write-back", DEV + 4, b);
    __asm__ volatile("ldrh %0, [%1], #2" : "=r"(v), "+r"(b)::"memory");
    check("ldrh post-index value", 0x0085, v);
    check("ldrh post-index write-back", DEV + 6, b);
    v = 0x5a;
    __asm__ volatile("strb %1, [%0], #1" : "+r"(b) : "r"(v) : "memory");
    check("strb post-index write-back", DEV + 7, b);
    __asm__ volatile("ldrsb %0, [%1], #-3" : "=r"(v), "+r"(b)::"memory");
    check("ldrsb post-index value", 0xffffff82, v);
    check("ldrsb post-index write-back", DEV + 4, b);
    __asm__ volatile("str %1, [%0, #-4]!" : "+r"(b) : "r"(0xcafef00du) : "memory");
    check("str pre-index write-back", DEV, b);
    check("word after the write-back forms", 0x825a0085, LD("ldr", "[%1, #4]"));
    check("word stored pre-indexed", 0xcafef00d, LD("ldr", "[%1]"));
  }
}

static void multi_forms(const char *isa, u64 (*ldrd)(u32), void (*strd)(u32, u32, u32, u32), void (*stm4)(u32, const u32 *),
                        u32 (*ldm4_wb)(u32, u32 *), u64 (*ldmdb2)(u32), u64 (*vldr)(u32), void (*vstr)(u32, u32, u32, u32),
                        u32 (*setend_ldr)(u32), void (*setend_strh)(u32, u32), u32 (*cond_loads)(u32), u32 mark) {
  static const u32 src[4] = {0xc0000001, 0xc0000002, 0xc0000003, 0xc0000004};
  u32 dst[4] = {0, 0, 0, 0};
  puts("# ");
  puts(isa);
  puts(" multi-register, vfp, setend, it\n");
  MARK(mark + 0);
  strd(DEV + 0x10, 0, 0xa1a2a3a4, 0xb1b2b3b4);
  u64 d = ldrd(DEV + 0x10);
  check("strd/ldrd low word", 0xa1a2a3a4, (u32)d);
  check("strd/ldrd high word", 0xb1b2b3b4, (u32)(d >> 32));
  MARK(mark + 1);
  stm4(DEV + 0x20, src);
  u32 end = ldm4_wb(DEV + 0x20, dst);
  check("ldmia! write-back", DEV + 0x30, end);
  check("stm/ldm word 0", 0xc0000001, dst[0]);
  check("stm/ldm word 3", 0xc0000004, dst[3]);
  d = ldmdb2(DEV + 0x30);
  check("ldmdb first", 0xc0000003, (u32)d);
  check("ldmdb second", 0xc0000004, (u32)(d >> 32));
  MARK(mark + 2);
  vstr(DEV + 0x40, 0, 0x01234567, 0x89abcdef);
  d = vldr(DEV + 0x40);
  check("vstr/vldr low word", 0x01234567, (u32)d);
  check("vstr/vldr high word", 0x89abcdef, (u32)(d >> 32));
  MARK(mark + 3);
  check("setend be: ldr byte-reversed", 0x67452301, setend_ldr(DEV + 0x40));
  setend_strh(DEV + 0x48, 0xbeef);
  check("setend be: strh bytes in memory order", 0xefbe, REG32(DEV + 0x48) & 0xffff);
  MARK(mark + 4);
  REG32(DEV + 0x50) = 0x80818283;
  REG32(DEV + 0x58) = 0xdeadbeef;
  REG32(DEV + 0x5c) = 0xdeadbeef;
  check("conditional loads (IT)", 0x80818283 + 0x82 + 0x8081, cond_loads(DEV + 0x50));
}

int main(void) {
  vfp_enable();
  single_register_forms();
  multi_forms("arm", ops_arm_ldrd, ops_arm_strd, ops_arm_stm4, ops_arm_ldm4_wb, ops_arm_ldmdb2, ops_arm_vldr, ops_arm_vstr,
              ops_arm_setend_ldr, ops_arm_setend_strh, ops_arm_cond_loads, 0x10);
  multi_forms("thumb", ops_thumb_ldrd, ops_thumb_strd, ops_thumb_stm4, ops_thumb_ldm4_wb, ops_thumb_ldmdb2, ops_thumb_vldr,
              ops_thumb_vstr, ops_thumb_setend_ldr, ops_thumb_setend_strh, ops_thumb_cond_loads, 0x20);
  MARK(0xff);
  return 0;
}
