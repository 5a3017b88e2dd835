/**
 * Debian armhf packages on any Debian host, with apt-get and dpkg-deb, without touching the host's
 * package state: apt runs on a private state and cache directory with APT::Architecture=armhf and
 * APT::Architectures=armhf (the approach of tests/arch/arm/differential/busybox.ts), reading the
 * host's sources and the real dpkg status only for its view of the system. `dpkg --add-architecture`
 * is never needed, and the host's /var/lib/apt/lists is left alone.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Program names or paths; tests point them at a fake apt. */
export interface DebianTools {
  readonly aptGet: string;
  readonly aptCache: string;
  readonly dpkgDeb: string;
}

export const HOST_TOOLS: DebianTools = { aptGet: "apt-get", aptCache: "apt-cache", dpkgDeb: "dpkg-deb" };

/** A failure the user can act on: one line, no stack. */
export class GuestFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GuestFetchError";
  }
}

const TIMEOUT_MS = 600_000;

function lastLines(text: string | null | undefined, n = 2): string {
  return (text ?? "").trim().split("\n").filter((l) => l.trim() !== "").slice(-n).join(" | ");
}

export class DebianArchive {
  private readonly aptOptions: string[];
  private updated = false;

  /** `workDir` holds apt's private state and cache. */
  constructor(private readonly workDir: string, private readonly tools: DebianTools = HOST_TOOLS) {
    const state = join(workDir, "apt-state");
    const cache = join(workDir, "apt-cache");
    mkdirSync(join(state, "lists", "partial"), { recursive: true });
    mkdirSync(join(cache, "archives", "partial"), { recursive: true });
    this.aptOptions = [
      "-q",
      "-o", `Dir::State=${state}`,
      "-o", "Dir::State::status=/var/lib/dpkg/status",
      "-o", `Dir::Cache=${cache}`,
      "-o", "APT::Architecture=armhf",
      "-o", "APT::Architectures::=armhf",
      "-o", "Debug::NoLocking=1",
    ];
  }

  private run(tool: string, args: string[], cwd?: string) {
    const r = spawnSync(tool, args, { cwd, encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new GuestFetchError(`${tool} not found: guest fetch needs a Debian host with apt and dpkg (apt-get, apt-cache, dpkg-deb)`);
    }
    if (r.error) throw new GuestFetchError(`${tool} ${args[args.length - 1] ?? ""}: ${r.error.message}`);
    return r;
  }

  /** `apt-get update` of the private armhf indexes, once per DebianArchive. */
  update(): void {
    if (this.updated) return;
    const r = this.run(this.tools.aptGet, [...this.aptOptions, "update"]);
    // A failing secondary index (a security mirror mid-sync) makes update exit non-zero while the main
    // index is fine, so only "no index at all" is an error here; the lookups below decide.
    const lists = readdirSync(join(this.workDir, "apt-state", "lists")).filter((f) => f.includes("Packages"));
    if (r.status !== 0 && lists.length === 0) {
      throw new GuestFetchError(`apt-get update failed (network or mirror unreachable?): ${lastLines(r.stderr || r.stdout)}`);
    }
    this.updated = true;
  }

  /** The Depends field of a package's candidate version (`apt-cache show --no-all-versions`). */
  depends(pkg: string): string {
    this.update();
    const r = this.run(this.tools.aptCache, [...this.aptOptions, "show", "--no-all-versions", pkg]);
    if (r.status !== 0) throw new GuestFetchError(`apt-cache show ${pkg} failed: ${lastLines(r.stderr)}`);
    const m = /^Depends:\s*(.*)$/m.exec(r.stdout);
    return m ? m[1]! : "";
  }

  /**
   * The real kernel package behind the meta package `linux-image-armmp`: the first dependency named
   * linux-image-<abi>-armmp (e.g. "linux-image-6.1.0-35-armmp (= 6.1.137-1)" → that name).
   */
  resolveKernelPackage(meta = "linux-image-armmp:armhf"): string {
    const depends = this.depends(meta);
    for (const alternative of depends.split(/[,|]/)) {
      const name = alternative.trim().split(/[\s(:]/)[0] ?? "";
      if (/^linux-image-\d[\w.+-]*-armmp$/.test(name)) return `${name}:armhf`;
    }
    throw new GuestFetchError(`${meta} does not depend on a linux-image-<version>-armmp package (Depends: ${depends || "none"})`);
  }

  /** `apt-get download pkg` into `dir`; returns the .deb's path. */
  download(pkg: string, dir: string): string {
    this.update();
    mkdirSync(dir, { recursive: true });
    const base = pkg.replace(/:.*$/, "");
    const before = new Set(readdirSync(dir));
    const r = this.run(this.tools.aptGet, [...this.aptOptions, "download", pkg], dir);
    const debs = readdirSync(dir).filter((f) => f.startsWith(`${base}_`) && f.endsWith("_armhf.deb"));
    const fresh = debs.filter((f) => !before.has(f));
    const deb = fresh[0] ?? (r.status === 0 ? debs[0] : undefined);
    if (r.status !== 0 || deb === undefined) {
      throw new GuestFetchError(`apt-get download ${pkg} failed (network or mirror unreachable?): ${lastLines(r.stderr || r.stdout)}`);
    }
    return join(dir, deb);
  }

  /** `dpkg-deb -f deb Package Version`. */
  packageVersion(deb: string): { package: string; version: string } {
    const r = this.run(this.tools.dpkgDeb, ["-f", deb, "Package", "Version"]);
    const pkg = /^Package:\s*(\S+)/m.exec(r.stdout)?.[1];
    const version = /^Version:\s*(\S+)/m.exec(r.stdout)?.[1];
    if (r.status !== 0 || !pkg || !version) throw new GuestFetchError(`dpkg-deb -f ${deb} failed: ${lastLines(r.stderr)}`);
    return { package: pkg, version };
  }

  /** `dpkg-deb -x deb dest`. */
  extract(deb: string, dest: string): void {
    mkdirSync(dest, { recursive: true });
    const r = this.run(this.tools.dpkgDeb, ["-x", deb, dest]);
    if (r.status !== 0) throw new GuestFetchError(`dpkg-deb -x ${deb} failed: ${lastLines(r.stderr)}`);
  }
}
