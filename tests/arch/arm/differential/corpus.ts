/**
 * Our own guest programs (guests/user/*.c): what each is run with, what status it must end with,
 * and which compiler variants it is built in. Every program is deterministic and free of
 * undefined behaviour, so all its variants must print the same bytes under a correct emulator —
 * the suite checks that on the oracle too, which keeps the corpus honest.
 *
 * Corpus programs are built with `-ffp-contract=off` so that an optimisation level cannot change a
 * floating-point result by fusing a multiply and an add; VFMA is exercised explicitly through
 * fma()/fmaf() in floats.c instead. They link libm (`-lm`).
 */
import type { FlagSet } from "./cross-toolchain.js";

export interface CorpusProgram {
  /** File name under guests/user/ without ".c". */
  readonly name: string;
  readonly args?: readonly string[];
  readonly stdin?: string;
  /** The status the program is written to end with (0 unless said). */
  readonly expectedStatus?: number;
  /** Extra variants beyond the four every program gets (arm/thumb × O0/O2). */
  readonly extraVariants?: readonly FlagSet[];
  /** Compiler flags of this program beyond CORPUS_CFLAGS (later -mfpu wins over TARGET_FLAGS'). */
  readonly cflags?: readonly string[];
}

/** Advanced SIMD programs: NEON code generation (and auto-vectorisation at -O3). */
export const NEON_CFLAGS: readonly string[] = ["-mfpu=neon-vfpv4", "-ftree-vectorize"];

export const CORPUS_CFLAGS: readonly string[] = ["-ffp-contract=off"];
export const CORPUS_LIBS: readonly string[] = ["-lm"];

export const BASE_VARIANTS: readonly FlagSet[] = [
  { isa: "arm", opt: "O0" },
  { isa: "arm", opt: "O2" },
  { isa: "thumb", opt: "O0" },
  { isa: "thumb", opt: "O2" },
];

const STDIN_TEXT = [
  "the first line has 5 words",
  "  numbers: 12 -7 300 and 0x10 ",
  "",
  "tabs\tand\tspaces   mixed 42",
  "last line without newline 1 2 3",
].join("\n");

export const CORPUS: readonly CorpusProgram[] = [
  { name: "arith32", extraVariants: [{ isa: "thumb", opt: "Os" }] },
  { name: "arith64", extraVariants: [{ isa: "arm", opt: "O3" }, { isa: "thumb", opt: "Os" }] },
  { name: "conditions", extraVariants: [{ isa: "arm", opt: "Os" }] },
  { name: "shifts", extraVariants: [{ isa: "arm", opt: "O3" }] },
  { name: "bits", extraVariants: [{ isa: "thumb", opt: "O3" }] },
  { name: "strings", extraVariants: [{ isa: "arm", opt: "O3" }] },
  { name: "recursion", extraVariants: [{ isa: "thumb", opt: "Os" }] },
  { name: "sorting" },
  { name: "heap", extraVariants: [{ isa: "thumb", opt: "Os" }] },
  { name: "floats", extraVariants: [{ isa: "thumb", opt: "O3" }] },
  { name: "libm" },
  { name: "formats" },
  { name: "stdin_reader", stdin: STDIN_TEXT },
  { name: "exit_status", args: ["3"], expectedStatus: 3 },
  { name: "stderr_writer" },
  { name: "segfault", expectedStatus: 139 },
  { name: "checksums", extraVariants: [{ isa: "arm", opt: "O3" }] },
  { name: "interpreter", extraVariants: [{ isa: "arm", opt: "Os" }] },
  { name: "structs", extraVariants: [{ isa: "thumb", opt: "O3" }] },
  { name: "atomics" },
  // argc - 1 is the status: 4 arguments, one empty and one with spaces
  { name: "args_env", args: ["one", "", "two words", "--help"], expectedStatus: 4 },
  // Advanced SIMD: auto-vectorised loops over every element type, and arm_neon.h intrinsics per family
  { name: "neon_vectorize", cflags: NEON_CFLAGS, extraVariants: [{ isa: "arm", opt: "O3" }, { isa: "thumb", opt: "O3" }] },
  {
    name: "neon_intrinsics",
    cflags: [...NEON_CFLAGS, "-mfp16-format=ieee"],
    extraVariants: [{ isa: "arm", opt: "O3" }, { isa: "thumb", opt: "O3" }],
  },
];

export function variantsOf(p: CorpusProgram): FlagSet[] {
  return [...BASE_VARIANTS, ...(p.extraVariants ?? [])];
}
