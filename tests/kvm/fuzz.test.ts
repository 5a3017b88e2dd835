// The raw interface never throws for anything a caller can pass (docs/ARCHITECTURE.md, "Errors"):
// random requests and arguments on every fd kind, on both architectures. Every result must be a
// number (a value >= 0 or a negative errno) and no internal error may be recorded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ARM_REQUESTS, PPC_REQUESTS } from "../../src/abi/requests.js";
import { createHost, type EmulatedKvmHost } from "../../src/kvm/host.js";

/** xorshift32: a reproducible stream, so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

function fuzz(arch: "arm" | "ppc", seed: number, rounds: number): EmulatedKvmHost {
  const next = rng(seed);
  const host = createHost({ arch, cpus: 2 });
  const known = Object.values(arch === "arm" ? ARM_REQUESTS : PPC_REQUESTS);
  const kvm = host.open("/dev/kvm");
  const fds = new Set<number>([kvm]);
  const mem = host.mmap(-1, 0x4000);
  assert.ok(typeof mem !== "number");
  const pick = <T>(xs: readonly T[]): T => xs[next() % xs.length]!;
  const request = (): number => {
    switch (next() % 4) {
      case 0: return next();
      case 1: return (next() & 0xffff00ff) | 0xae00;
      default: return pick(known);
    }
  };
  const arg = (): number | bigint | Uint8Array | undefined => {
    switch (next() % 8) {
      case 0: return undefined;
      case 1: return next() % 16;
      case 2: return next() | 0;
      case 3: return (BigInt(next()) << 32n) | BigInt(next());
      case 4: return mem.addr + BigInt(next() % 0x4100);
      case 5: return new Uint8Array(next() % 130).map(() => next());
      case 6: return [NaN, Infinity, -0, 1.5, Number.MAX_SAFE_INTEGER, -1][next() % 6];
      default: return -BigInt(next());
    }
  };
  // random bytes in the shared memory, so pointer arguments point at garbage structs
  for (let i = 0; i < mem.bytes.length; i++) mem.bytes[i] = next();
  for (let i = 0; i < rounds; i++) {
    const fd = next() % 10 === 0 ? next() % 40 - 2 : pick([...fds]);
    const r = host.ioctl(fd, request(), arg());
    assert.equal(typeof r, "number");
    assert.ok(Number.isInteger(r));
    if (r >= 3 && r < 1024 && host.kernel.fds.get(r) !== undefined) fds.add(r);
    if (next() % 50 === 0) {
      const m = host.mmap(pick([...fds, -1, 99]), next() % 10000, (next() % 3) * 4096);
      assert.ok(typeof m === "number" || m.bytes instanceof Uint8Array);
    }
    if (next() % 200 === 0) {
      const victim = pick([...fds]);
      if (victim !== kvm) {
        assert.equal(host.close(victim), 0);
        fds.delete(victim);
      }
    }
    if (next() % 300 === 0) host.munmap(BigInt(next()) << BigInt(next() % 16), next() % 9000);
  }
  return host;
}

test("no throw: random ioctls on system, VM and vCPU fds (ARM)", () => {
  for (const seed of [1, 2, 3, 0xdeadbeef]) {
    const host = fuzz("arm", seed, 4000);
    assert.deepEqual(host.internalErrors, [], `seed ${seed}`);
  }
});

test("no throw: random ioctls (PowerPC)", () => {
  for (const seed of [7, 8]) {
    const host = fuzz("ppc", seed, 3000);
    assert.deepEqual(host.internalErrors, [], `seed ${seed}`);
  }
});

test("no throw: hostile argument types at every entry point", () => {
  const host = createHost({ arch: "arm", cpus: 1 });
  const kvm = host.open("/dev/kvm");
  const vm = host.ioctl(kvm, 0xae01, 0);
  const cpu = host.ioctl(vm, 0xae41, 0);
  const weird = [undefined, null, "3", {}, [], NaN, -Infinity, 2 ** 64, -(2 ** 70), 0.5] as unknown[];
  for (const fd of [kvm, vm, cpu, ...weird]) {
    for (const req of [0xae00, 0x4020ae46, 0xc018aec0, ...weird]) {
      for (const a of weird) {
        const r = host.ioctl(fd as number, req as number, a as number);
        assert.equal(typeof r, "number");
      }
      assert.equal(typeof host.mmap(fd as number, req as number, 0), typeof host.mmap(fd as number, req as number, 0));
    }
    assert.equal(typeof host.close(fd as number), "number");
  }
  for (const a of weird) {
    assert.equal(typeof host.munmap(a as bigint, a as number), "number");
    assert.equal(typeof host.open(a as string), "number");
  }
  assert.deepEqual(host.internalErrors, []);
});
