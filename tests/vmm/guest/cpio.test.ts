/**
 * The newc writer against the format (buffer-format.rst / cpio(5)): 110-byte header of "070701" and
 * thirteen 8-digit hex fields, NUL-terminated name padded so header+name is a multiple of 4, data
 * padded to 4, check "00000000", "TRAILER!!!" — and against GNU cpio reading what we wrote.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { writeNewc, type CpioEntry } from "../../../src/vmm/guest/cpio.js";

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

test("one regular file: every header field, name and data padding, trailer, 512-byte block", () => {
  const out = writeNewc([{ kind: "file", path: "/a", perm: 0o644, data: new TextEncoder().encode("hi"), mtime: 0x5f5e100 }], {});
  // ino 1, mode S_IFREG|0644 = 0x81a4, uid 0, gid 0, nlink 1, mtime, filesize 2, devmajor/minor 0,
  // rdevmajor/minor 0, namesize 2 ("a\0"), check 0.
  const expected =
    "070701" + "00000001" + "000081a4" + "00000000" + "00000000" + "00000001" + "05f5e100" + "00000002" +
    "00000000" + "00000000" + "00000000" + "00000000" + "00000002" + "00000000";
  assert.equal(expected.length, 110);
  assert.equal(ascii(out, 0, 110), expected);
  assert.deepEqual([...out.subarray(110, 112)], [0x61, 0]); // 110 + 2 = 112: no name padding
  assert.equal(ascii(out, 112, 114), "hi");
  assert.deepEqual([...out.subarray(114, 116)], [0, 0]); // data padded to 4
  // Trailer at 116: ino 0, mode 0, nlink 1, namesize 11, name padded: 110 + 11 = 121 → 124.
  const trailer = ascii(out, 116, 116 + 110);
  assert.equal(trailer.slice(0, 6), "070701");
  assert.equal(trailer.slice(6 + 8 * 11, 6 + 8 * 12), "0000000b");
  assert.equal(trailer.slice(6 + 8 * 12), "00000000");
  assert.equal(ascii(out, 226, 236), "TRAILER!!!");
  assert.equal(out[236], 0);
  assert.equal(out.length, 512);
  assert.ok(out.subarray(237).every((b) => b === 0));
});

test("name padding for every name length mod 4, and data padding for every size mod 4", () => {
  for (let nameLen = 1; nameLen <= 8; nameLen++) {
    for (let size = 0; size <= 5; size++) {
      const name = "n".repeat(nameLen);
      const out = writeNewc([{ kind: "file", path: name, perm: 0o600, data: new Uint8Array(size).fill(0x41) }], { blockSize: 4 });
      const namesize = nameLen + 1;
      const dataAt = Math.ceil((110 + namesize) / 4) * 4;
      assert.equal(parseInt(ascii(out, 6 + 8 * 11, 6 + 8 * 12), 16), namesize);
      assert.ok(out.subarray(110 + nameLen, dataAt).every((b) => b === 0), `name ${nameLen}`);
      assert.ok(out.subarray(dataAt, dataAt + size).every((b) => b === 0x41));
      const next = dataAt + Math.ceil(size / 4) * 4;
      assert.equal(ascii(out, next, next + 6), "070701", `name ${nameLen} size ${size}`);
      assert.equal(ascii(out, next + 110, next + 120), "TRAILER!!!");
      assert.equal(out.length % 4, 0);
    }
  }
});

test("directories, symlinks (target as data, no NUL) and device nodes (rdevmajor/rdevminor)", () => {
  const out = writeNewc(
    [
      { kind: "dir", path: "dev", perm: 0o755 },
      { kind: "chardev", path: "dev/console", perm: 0o600, major: 5, minor: 1 },
      { kind: "symlink", path: "sh", target: "busybox", uid: 1000, gid: 100 },
    ],
    { blockSize: 4 },
  );
  const field = (at: number, i: number) => ascii(out, at + 6 + 8 * i, at + 14 + 8 * i);
  // dev: 110 + 4 = 114 → 116.
  assert.equal(field(0, 1), "000041ed"); // S_IFDIR | 0755
  assert.equal(field(0, 4), "00000002");
  assert.equal(field(0, 6), "00000000");
  // dev/console: 110 + 12 = 122 → 124; next at 116 + 124 = 240.
  assert.equal(field(116, 1), "00002180"); // S_IFCHR | 0600
  assert.equal(field(116, 9), "00000005");
  assert.equal(field(116, 10), "00000001");
  assert.equal(field(116, 7) + field(116, 8), "0000000000000000");
  assert.equal(field(240, 1), "0000a1ff"); // S_IFLNK | 0777
  assert.equal(field(240, 2), "000003e8");
  assert.equal(field(240, 3), "00000064");
  assert.equal(field(240, 6), "00000007");
  // 110 + 3 = 113 → 116: "busybox" at 240 + 116.
  assert.equal(ascii(out, 356, 363), "busybox");
  assert.equal(out[363], 0); // padding, not a terminator counted in filesize
});

test("rejects duplicate names, '..' and values wider than 8 hex digits", () => {
  assert.throws(() => writeNewc([{ kind: "dir", path: "a", perm: 0o755 }, { kind: "dir", path: "/a/", perm: 0o755 }]), /duplicate/);
  assert.throws(() => writeNewc([{ kind: "dir", path: "a/../b", perm: 0o755 }]), /bad member path/);
  assert.throws(() => writeNewc([{ kind: "dir", path: "a", perm: 0o755, uid: 2 ** 32 }]), /uid/);
});

function haveCpio(): boolean {
  return spawnSync("cpio", ["--version"], { stdio: "ignore" }).status === 0;
}

const SAMPLE: CpioEntry[] = [
  { kind: "dir", path: "bin", perm: 0o755 },
  { kind: "file", path: "bin/busybox", perm: 0o755, data: new Uint8Array(1001).map((_, i) => i & 0xff) },
  { kind: "symlink", path: "bin/sh", target: "busybox" },
  { kind: "dir", path: "tmp", perm: 0o1777 },
  { kind: "dir", path: "etc", perm: 0o755 },
  { kind: "file", path: "etc/empty", perm: 0o600, data: new Uint8Array(0) },
  { kind: "file", path: "etc/motd", perm: 0o644, data: new TextEncoder().encode("hello\n") },
  { kind: "dir", path: "dev", perm: 0o755 },
  { kind: "chardev", path: "dev/console", perm: 0o600, major: 5, minor: 1 },
  { kind: "chardev", path: "dev/null", perm: 0o666, major: 1, minor: 3 },
];

test("GNU cpio -t lists every member, with modes and device numbers (cpio -tv)", { skip: !haveCpio() && "cpio is not installed (scripts/setup.sh installs it)" }, () => {
  const archive = writeNewc(SAMPLE, { mtime: 1_700_000_000 });
  const names = spawnSync("cpio", ["-t", "--quiet"], { input: archive, encoding: "utf8" });
  assert.equal(names.status, 0, names.stderr);
  assert.deepEqual(names.stdout.trim().split("\n"), SAMPLE.map((e) => e.path));
  const long = spawnSync("cpio", ["-tv", "--quiet"], { input: archive, encoding: "utf8" });
  assert.equal(long.status, 0, long.stderr);
  const rows = long.stdout.trim().split("\n");
  assert.match(rows[1]!, /^-rwxr-xr-x .* 1001 .* bin\/busybox$/);
  assert.match(rows[2]!, /^lrwxrwxrwx .* bin\/sh -> busybox$/);
  assert.match(rows[3]!, /^drwxrwxrwt /);
  assert.match(rows[8]!, /^crw------- .*\b5,\s+1 .*dev\/console$/);
  assert.match(rows[9]!, /^crw-rw-rw- .*\b1,\s+3 .*dev\/null$/);
});

test("GNU cpio -i extracts what we wrote (files, modes, symlinks), also after a gzip round trip", { skip: !haveCpio() && "cpio is not installed" }, () => {
  const plain = writeNewc(SAMPLE.filter((e) => e.kind !== "chardev"));
  const gz = gzipSync(plain);
  assert.deepEqual(new Uint8Array(gunzipSync(gz)), plain);
  const dir = mkdtempSync(join(tmpdir(), "tskvm-cpio-"));
  try {
    const r = spawnSync("sh", ["-c", "gzip -dc | cpio -i --quiet --make-directories --preserve-modification-time"], { cwd: dir, input: gz, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([...readFileSync(join(dir, "bin/busybox"))], [...(SAMPLE[1] as { data: Uint8Array }).data]);
    assert.equal(statSync(join(dir, "bin/busybox")).mode & 0o7777, 0o755);
    assert.equal(readlinkSync(join(dir, "bin/sh")), "busybox");
    assert.ok(lstatSync(join(dir, "bin/sh")).isSymbolicLink());
    assert.equal(readFileSync(join(dir, "etc/motd"), "utf8"), "hello\n");
    assert.equal(readFileSync(join(dir, "etc/empty")).length, 0);
    assert.equal(statSync(join(dir, "etc/empty")).mode & 0o7777, 0o600);
    assert.equal(statSync(join(dir, "tmp")).mode & 0o7777, 0o1777);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
