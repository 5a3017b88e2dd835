/**
 * The Advanced SIMD instruction forms the qemu oracle exercises, by family. Register convention:
 * destination q0/d0, first operand q1/d2, second operand q2/d4 (d0-d7 all carry random inputs);
 * memory forms address a 64-byte buffer through r0, with r1 a random value (post-index register,
 * VDUP/VMOV core operand).
 */
const S = ["s8", "s16", "s32"], U = ["u8", "u16", "u32"], SU = [...S, ...U], I = ["i8", "i16", "i32"];
const SU64 = [...SU, "s64", "u64"];

const out: string[] = [];
const each = (types: string[], f: (t: string) => string | string[]) => {
  for (const t of types) {
    const r = f(t);
    if (Array.isArray(r)) out.push(...r);
    else out.push(r);
  }
};
const bits = (t: string) => Number(t.slice(1));
const qd = (insn: string) => [`${insn} q0, q1, q2`, `${insn} d0, d2, d4`];

// ---- three registers of the same length, integer
for (const op of ["vhadd", "vrhadd", "vhsub", "vcgt", "vcge", "vmax", "vmin", "vabd", "vaba"]) each(SU, (t) => qd(`${op}.${t}`));
for (const op of ["vqadd", "vqsub"]) each(SU64, (t) => qd(`${op}.${t}`));
for (const op of ["vshl", "vqshl", "vrshl", "vqrshl"]) each(SU64, (t) => [`${op}.${t} q0, q2, q1`, `${op}.${t} d0, d4, d2`]);
each([...I, "i64"], (t) => [...qd(`vadd.${t}`), ...qd(`vsub.${t}`)]);
for (const op of ["vtst", "vceq", "vmla", "vmls", "vmul"]) each(op === "vtst" ? ["8", "16", "32"] : I, (t) => qd(`${op}.${t}`));
out.push(...qd("vmul.p8"));
for (const op of ["vqdmulh", "vqrdmulh"]) each(["s16", "s32"], (t) => qd(`${op}.${t}`));
each(I, (t) => `vpadd.${t} d0, d2, d4`);
for (const op of ["vpmax", "vpmin"]) each(SU, (t) => `${op}.${t} d0, d2, d4`);
for (const op of ["vand", "vbic", "vorr", "vorn", "veor", "vbsl", "vbit", "vbif"]) out.push(...qd(op));

// ---- floating point
for (const op of ["vadd", "vsub", "vabd", "vmul", "vmla", "vmls", "vfma", "vfms", "vceq", "vcge", "vcgt", "vacge", "vacgt", "vmax", "vmin", "vrecps", "vrsqrts"])
  out.push(...qd(`${op}.f32`));
for (const op of ["vpadd", "vpmax", "vpmin"]) out.push(`${op}.f32 d0, d2, d4`);
for (const op of ["vcgt", "vcge", "vceq", "vcle", "vclt"]) out.push(`${op}.f32 q0, q2, #0`, `${op}.s8 q0, q2, #0`, `${op}.s16 d0, d4, #0`, `${op}.s32 q0, q2, #0`);
for (const op of ["vabs", "vneg"]) out.push(`${op}.f32 q0, q2`);
out.push("vrecpe.f32 q0, q2", "vrsqrte.f32 q0, q2", "vrecpe.u32 q0, q2", "vrsqrte.u32 q0, q2");
out.push("vcvt.s32.f32 q0, q2", "vcvt.u32.f32 q0, q2", "vcvt.f32.s32 q0, q2", "vcvt.f32.u32 d0, d4");
out.push("vcvt.s32.f32 q0, q2, #16", "vcvt.u32.f32 d0, d4, #1", "vcvt.f32.s32 q0, q2, #32", "vcvt.f32.u32 q0, q2, #7");
out.push("vcvt.f16.f32 d0, q2", "vcvt.f32.f16 q0, d4");

// ---- shifts by immediate
each(SU64, (t) => {
  const e = bits(t), r = [`vshr.${t} q0, q2, #1`, `vshr.${t} d0, d4, #${e}`, `vsra.${t} q0, q2, #${e - 1 || 1}`,
    `vrshr.${t} q0, q2, #${e}`, `vrshr.${t} d0, d4, #3`, `vrsra.${t} q0, q2, #2`, `vqshl.${t} q0, q2, #${e - 1}`, `vqshl.${t} d0, d4, #1`];
  if (t[0] === "s") r.push(`vqshlu.${t} q0, q2, #3`, `vqshlu.${t} d0, d4, #0`);
  return r;
});
each(["8", "16", "32", "64"], (t) => [`vsri.${t} q0, q2, #1`, `vsri.${t} d0, d4, #${t}`, `vsli.${t} q0, q2, #0`,
  `vsli.${t} d0, d4, #${Number(t) - 1}`, `vshl.i${t} q0, q2, #${Number(t) >> 1}`, `vshl.i${t} d0, d4, #1`]);
each(["16", "32", "64"], (t) => {
  const h = bits("x" + t) / 2;
  return [`vshrn.i${t} d0, q2, #1`, `vrshrn.i${t} d0, q2, #${h}`, `vqshrn.s${t} d0, q2, #2`, `vqshrn.u${t} d0, q2, #${h}`,
    `vqrshrn.s${t} d0, q2, #${h}`, `vqrshrn.u${t} d0, q2, #3`, `vqshrun.s${t} d0, q2, #1`, `vqrshrun.s${t} d0, q2, #${h}`,
    `vmovn.i${t} d0, q2`, `vqmovn.s${t} d0, q2`, `vqmovn.u${t} d0, q2`, `vqmovun.s${t} d0, q2`];
});
each(SU, (t) => [`vshll.${t} q0, d4, #1`, `vshll.${t} q0, d4, #${bits(t) - 1}`, `vmovl.${t} q0, d4`]);
each(I, (t) => `vshll.${t} q0, d4, #${bits(t)}`);

// ---- two registers, miscellaneous
out.push("vrev64.8 q0, q2", "vrev64.16 d0, d4", "vrev64.32 q0, q2", "vrev32.8 q0, q2", "vrev32.16 d0, d4", "vrev16.8 q0, q2");
each(SU, (t) => [`vpaddl.${t} q0, q2`, `vpaddl.${t} d0, d4`, `vpadal.${t} q0, q2`, `vpadal.${t} d0, d4`]);
each(S, (t) => [`vcls.${t} q0, q2`, `vabs.${t} q0, q2`, `vneg.${t} d0, d4`, `vqabs.${t} q0, q2`, `vqneg.${t} q0, q2`]);
each(I, (t) => `vclz.${t} q0, q2`);
out.push("vcnt.8 q0, q2", "vmvn q0, q2", "vswp d0, d4", "vswp q0, q2");
for (const op of ["vtrn", "vuzp", "vzip"]) {
  out.push(`${op}.8 q0, q2`, `${op}.16 q0, q2`, `${op}.32 q0, q2`, `${op}.8 d0, d4`, `${op}.16 d0, d4`);
  if (op === "vtrn") out.push("vtrn.32 d0, d4");
}
out.push("vext.8 q0, q1, q2, #3", "vext.8 d0, d2, d4, #5", "vext.16 q0, q1, q2, #7", "vext.32 d0, d2, d4, #1", "vext.8 q0, q0, q1, #15");
for (const op of ["vtbl", "vtbx"])
  out.push(`${op}.8 d0, {d2}, d4`, `${op}.8 d0, {d2-d3}, d4`, `${op}.8 d0, {d2-d4}, d5`, `${op}.8 d0, {d2-d5}, d6`, `${op}.8 d1, {d0-d1}, d1`);
out.push("vdup.8 q0, d4[3]", "vdup.16 d0, d5[2]", "vdup.32 q0, d5[1]", "vdup.8 q0, r1", "vdup.16 d0, r1", "vdup.32 q0, r1");
out.push("vmov.8 d0[5], r1", "vmov.16 d1[3], r1", "vmov.s8 r1, d4[7]", "vmov.u8 r1, d4[2]", "vmov.s16 r1, d5[1]", "vmov.u16 r1, d5[3]");
out.push("vmov.32 d1[1], r1", "vmov.32 r1, d4[1]");
out.push("vmov.i32 q0, #0x12", "vmov.i32 d0, #0x3400", "vmov.i32 q0, #0x560000", "vmov.i32 q0, #0x78000000",
  "vmov.i16 q0, #0x9a", "vmov.i16 d0, #0xbc00", "vmov.i32 q0, #0x12ff", "vmov.i32 q0, #0x12ffff", "vmov.i8 q0, #0xab",
  "vmov.i64 q0, #0xff00ff0000ff00ff", "vmov.f32 q0, #1.5", "vmov.f32 d0, #-0.1875", "vmvn.i32 q0, #0x12",
  "vmvn.i16 d0, #0xab00", "vmvn.i32 q0, #0xab0000", "vmvn.i32 q0, #0xabffff", "vorr.i32 q0, #0x1200", "vorr.i16 d0, #0x34",
  "vbic.i32 q0, #0xff000000", "vbic.i16 q0, #0x5600",
  // the remaining cmode/op combinations
  "vorr.i32 q0, #0x12", "vorr.i32 d0, #0x120000", "vorr.i32 q0, #0x12000000", "vorr.i16 q0, #0x1200",
  "vbic.i32 q0, #0x12", "vbic.i32 d0, #0x1200", "vbic.i32 q0, #0x120000", "vbic.i16 d0, #0x12",
  "vmvn.i32 q0, #0x1200", "vmvn.i32 d0, #0x12000000", "vmvn.i16 q0, #0x12", "vmvn.i32 q0, #0x12ff");

// ---- three registers of different lengths
each(SU, (t) => [`vaddl.${t} q0, d2, d4`, `vaddw.${t} q0, q1, d4`, `vsubl.${t} q0, d2, d4`, `vsubw.${t} q0, q1, d4`,
  `vabal.${t} q0, d2, d4`, `vabdl.${t} q0, d2, d4`, `vmlal.${t} q0, d2, d4`, `vmlsl.${t} q0, d2, d4`, `vmull.${t} q0, d2, d4`]);
out.push("vmull.p8 q0, d2, d4");
each(["i16", "i32", "i64"], (t) => [`vaddhn.${t} d0, q1, q2`, `vraddhn.${t} d0, q1, q2`, `vsubhn.${t} d0, q1, q2`, `vrsubhn.${t} d0, q1, q2`]);
each(["s16", "s32"], (t) => [`vqdmlal.${t} q0, d2, d4`, `vqdmlsl.${t} q0, d2, d4`, `vqdmull.${t} q0, d2, d4`]);

// ---- two registers and a scalar
for (const op of ["vmla", "vmls", "vmul"]) out.push(`${op}.i16 q0, q1, d4[2]`, `${op}.i32 d0, d2, d5[1]`, `${op}.f32 q0, q1, d5[1]`, `${op}.i16 d0, d2, d7[3]`);
for (const op of ["vmlal", "vmlsl", "vmull"]) out.push(`${op}.s16 q0, d2, d4[3]`, `${op}.u32 q0, d2, d5[1]`, `${op}.u16 q0, d2, d7[0]`, `${op}.s32 q0, d2, d4[0]`);
for (const op of ["vqdmlal", "vqdmlsl", "vqdmull"]) out.push(`${op}.s16 q0, d2, d4[1]`, `${op}.s32 q0, d2, d5[1]`);
for (const op of ["vqdmulh", "vqrdmulh"]) out.push(`${op}.s16 q0, q1, d4[1]`, `${op}.s32 d0, d2, d5[0]`);

// ---- overlapping operands
out.push("vadd.i32 q0, q0, q0", "vmlal.s16 q0, d0, d1[3]", "vmovl.s8 q0, d1", "vshrn.i16 d1, q0, #3", "vpadd.i8 d0, d1, d0",
  "vmull.u8 q1, d2, d3", "vaddw.s16 q0, q0, d0", "vqmovn.s32 d1, q0", "vpaddl.u8 q0, q0", "vcvt.f32.f16 q0, d1");

// ---- element and structure loads and stores (r0 = buffer, r1 = post-index register)
out.push(
  "vld1.8 {d0}, [r0]", "vld1.16 {d0-d1}, [r0]!", "vld1.32 {d0-d2}, [r0]", "vld1.64 {d0-d3}, [r0:128]",
  "vld2.8 {d0-d1}, [r0]", "vld2.16 {d0,d2}, [r0]", "vld2.32 {d0-d3}, [r0]!", "vld3.8 {d0-d2}, [r0]",
  "vld3.16 {d0,d2,d4}, [r0]!", "vld4.8 {d0-d3}, [r0]", "vld4.32 {d0,d2,d4,d6}, [r0]", "vld4.16 {d1-d4}, [r0:256]",
  "vld1.8 {d0[3]}, [r0]", "vld1.16 {d1[2]}, [r0:16]!", "vld1.32 {d2[1]}, [r0:32]", "vld2.8 {d0[5],d1[5]}, [r0]",
  "vld2.16 {d0[1],d2[1]}, [r0]", "vld2.32 {d0[1],d1[1]}, [r0:64]", "vld3.8 {d0[7],d1[7],d2[7]}, [r0]",
  "vld3.16 {d0[2],d2[2],d4[2]}, [r0]!", "vld3.32 {d1[0],d2[0],d3[0]}, [r0]", "vld4.8 {d0[1],d1[1],d2[1],d3[1]}, [r0:32]",
  "vld4.16 {d0[3],d2[3],d4[3],d6[3]}, [r0]", "vld4.32 {d0[1],d1[1],d2[1],d3[1]}, [r0:128]",
  "vld1.8 {d0[]}, [r0]", "vld1.16 {d0[],d1[]}, [r0:16]", "vld1.32 {d0[]}, [r0:32]!", "vld2.8 {d0[],d1[]}, [r0]",
  "vld2.16 {d0[],d2[]}, [r0]", "vld3.32 {d0[],d1[],d2[]}, [r0]", "vld4.8 {d0[],d1[],d2[],d3[]}, [r0]",
  "vld4.32 {d0[],d2[],d4[],d6[]}, [r0:128]", "vld4.16 {d0[],d1[],d2[],d3[]}, [r0:64]",
  "vst1.8 {d0-d3}, [r0]", "vst1.64 {d2}, [r0]", "vst2.16 {d0-d3}, [r0]!", "vst3.8 {d0-d2}, [r0]", "vst4.32 {d0-d3}, [r0]",
  "vst1.32 {d1[1]}, [r0]", "vst2.8 {d0[3],d1[3]}, [r0]", "vst3.16 {d0[1],d2[1],d4[1]}, [r0]",
  "vst4.8 {d0[7],d1[7],d2[7],d3[7]}, [r0]", "vst1.64 {d0-d1}, [r0:128]!", "vst4.16 {d0,d2,d4,d6}, [r0]",
  "vld1.32 {d0-d2}, [r0], r1", "vld3.8 {d0[],d1[],d2[]}, [r0], r1", "vst2.32 {d1[1],d2[1]}, [r0], r1",
  "vld2.32 {d0[],d1[]}, [r0:64]", "vld1.16 {d0-d3}, [r0:256]!", "vst3.32 {d0,d2,d4}, [r0]!",
  "vst2.16 {d0[1],d1[1]}, [r0:32]", "vst4.32 {d0[1],d1[1],d2[1],d3[1]}, [r0:64]!", "vld1.8 {d0-d1}, [r0:128], r1",
  "vst1.32 {d0-d3}, [r0:256]", "vst2.8 {d0-d3}, [r0:128]",
);

export const NEON_CASES: readonly string[] = out;

/** Cases whose operands are floating-point values (the rest get integer-flavoured bit patterns). */
export function isFloatCase(asm: string): boolean {
  return /\.f32|\.f16|vrecpe\.f|vrsqrte\.f/.test(asm) && !/vcvt\.f32\.[su]32/.test(asm);
}
