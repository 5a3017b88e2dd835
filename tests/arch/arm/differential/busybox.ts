/**
 * Debian's statically linked BusyBox for armhf, fetched with apt into the guest cache — through a
 * private apt state directory that asks for armhf indexes only, so the machine's own dpkg
 * architecture list and apt lists are left untouched — and a set of applet runs with fixed input.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GUEST_CACHE } from "./cross-toolchain.js";

export const BUSYBOX_PACKAGE = "busybox-static:armhf";

export type BusyboxResult = { readonly binary: string } | { readonly unavailable: string };

/** Downloads and unpacks busybox-static:armhf once; later calls find it in the cache. */
export function fetchBusybox(): BusyboxResult {
  const root = join(GUEST_CACHE, "busybox");
  const binary = join(root, "root", "bin", "busybox");
  if (existsSync(binary)) return { binary };
  for (const tool of ["apt-get", "dpkg-deb"]) {
    if (spawnSync(tool, ["--version"], { stdio: "ignore" }).status !== 0) return { unavailable: `${tool} is not installed` };
  }
  const state = join(root, "apt-state");
  const cache = join(root, "apt-cache");
  mkdirSync(join(state, "lists", "partial"), { recursive: true });
  mkdirSync(join(cache, "archives", "partial"), { recursive: true });
  const aptOptions = [
    "-q",
    "-o", `Dir::State=${state}`,
    "-o", "Dir::State::status=/var/lib/dpkg/status",
    "-o", `Dir::Cache=${cache}`,
    "-o", "APT::Architecture=armhf",
    "-o", "APT::Architectures::=armhf",
    "-o", "Debug::NoLocking=1",
  ];
  // A failing secondary index (e.g. a security mirror mid-sync) makes update exit non-zero while the
  // main index is fine, so its status is not decisive: the download below is.
  const update = spawnSync("apt-get", [...aptOptions, "update"], { encoding: "utf8", timeout: 300_000 });
  const download = spawnSync("apt-get", [...aptOptions, "download", BUSYBOX_PACKAGE], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
  });
  const deb = readdirSync(root).find((f) => f.startsWith("busybox-static_") && f.endsWith("_armhf.deb"));
  if (download.status !== 0 || !deb) {
    const why = `${download.stderr ?? ""}${update.stderr ?? ""}`.trim().split("\n").slice(-3).join(" | ");
    return { unavailable: `apt-get download ${BUSYBOX_PACKAGE} failed: ${why}` };
  }
  const extract = spawnSync("dpkg-deb", ["-x", join(root, deb), join(root, "root")], { encoding: "utf8" });
  if (extract.status !== 0 || !existsSync(binary)) return { unavailable: `dpkg-deb -x failed: ${extract.stderr}` };
  return { binary };
}

export interface AppletRun {
  /** Case name, e.g. "md5sum". */
  readonly name: string;
  /** argv after the busybox binary: the applet name first. */
  readonly args: readonly string[];
  readonly stdin?: string;
  readonly expectedStatus?: number;
  /** Exact stdout where a standard defines it (digest test vectors, arithmetic). */
  readonly expectedStdout?: string;
}

const LINES = "pear 3\napple 10\nfig 2\nbanana 7\ncherry 10\napple 1\n";

export const APPLET_RUNS: readonly AppletRun[] = [
  { name: "echo", args: ["echo", "hello,", "world", "", "end"], expectedStdout: "hello, world  end\n" },
  { name: "printf", args: ["printf", "%s=%d %x %05.2f|%-4s|\\n", "x", "42", "255", "3.14159", "ab"], expectedStdout: "x=42 ff 03.14|ab  |\n" },
  { name: "seq", args: ["seq", "-s", ",", "1", "7", "100"], expectedStdout: "1,8,15,22,29,36,43,50,57,64,71,78,85,92,99\n" },
  { name: "sort", args: ["sort", "-k2,2n", "-k1,1"], stdin: LINES },
  { name: "sort-r", args: ["sort", "-r"], stdin: LINES },
  // RFC 1321 and FIPS 180-2 test vectors for "abc"
  { name: "md5sum", args: ["md5sum"], stdin: "abc", expectedStdout: "900150983cd24fb0d6963f7d28e17f72  -\n" },
  { name: "sha1sum", args: ["sha1sum"], stdin: "abc", expectedStdout: "a9993e364706816aba3e25717850c26c9cd0d89d  -\n" },
  {
    name: "sha256sum",
    args: ["sha256sum"],
    stdin: "abc",
    expectedStdout: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n",
  },
  { name: "md5sum-long", args: ["md5sum"], stdin: LINES.repeat(500) },
  { name: "expr", args: ["expr", "7", "*", "6", "+", "1"], expectedStdout: "43\n" },
  { name: "expr-false", args: ["expr", "3", "<", "2"], expectedStdout: "0\n", expectedStatus: 1 },
  { name: "wc", args: ["wc"], stdin: LINES },
  { name: "tr", args: ["tr", "a-z", "A-Z"], stdin: LINES, expectedStdout: LINES.toUpperCase() },
  { name: "basename", args: ["basename", "/usr/lib/libc.so.6", ".6"], expectedStdout: "libc.so\n" },
  { name: "awk", args: ["awk", "{ s[$1] += $2 } END { for (k in s) n++; print n, s[\"apple\"] * 1.5 }"], stdin: LINES },
  { name: "sed", args: ["sed", "-e", "s/a/A/g", "-e", "/fig/d"], stdin: LINES },
  { name: "factor", args: ["factor", "4294967291", "600851475143"] },
  { name: "false", args: ["false"], expectedStatus: 1, expectedStdout: "" },
];
