// Issue #7's acceptance, against Debian's armmp kernel under `tskvm run` with 2 vCPUs: /proc/cpuinfo
// and nproc see both; an ext4 file system made on the host with mkfs.ext4 mounts read-write from
// virtio-blk; files the guest writes and syncs survive `reboot` (same tskvm process, journal replayed
// on the next mount) with the checksums the host predicts; after `poweroff` (status 0) the host's
// e2fsck -fn finds the file system clean and debugfs reads back exactly what was written. A second
// disk given `,readonly` is read-only to the guest (sysfs ro = 1, mount forced ro, writes refused) and
// its image is byte-for-byte unchanged. One tskvm process, two boots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DebianSession, guestUnavailable, hostTool } from "./debian-session.js";

const MKFS = hostTool("mkfs.ext4");
const DEBUGFS = hostTool("debugfs");
const E2FSCK = hostTool("e2fsck");
const skip: string | false =
  !MKFS || !DEBUGFS || !E2FSCK ? "mkfs.ext4, debugfs and e2fsck are needed (Debian's e2fsprogs)" : guestUnavailable();

const RW_BYTES = 64 << 20;
const RO_BYTES = 8 << 20;
const SECTOR = 512;

const md5 = (s: string | Uint8Array): string => createHash("md5").update(s).digest("hex");
const sha256 = (s: Uint8Array): string => createHash("sha256").update(s).digest("hex");

/** What `seq A B` prints. */
const seqText = (a: number, b: number): string => Array.from({ length: b - a + 1 }, (_, i) => `${a + i}\n`).join("");

/** The guest's loop below, in the host's arithmetic: a few KiB built by the shell line by line. */
const LOOP_COMMAND = 'i=0; while [ $i -lt 300 ]; do echo "line $i square $((i*i)) mod $((i*7919%1000))"; i=$((i+1)); done > /mnt/loop.txt';
const loopText = Array.from({ length: 300 }, (_, i) => `line ${i} square ${i * i} mod ${(i * 7919) % 1000}\n`).join("");

const SEQ = seqText(1, 20000);
const NESTED = "nested file in a new directory\n";
const SECOND_BOOT = "written on the second boot\n";
const RO_HELLO = "a file on the read-only disk\n" + seqText(1, 50);

/** The files the guest leaves on the ext4 image, as the host expects to read them back. */
const EXPECTED_FILES: Record<string, string> = {
  "/seq.txt": SEQ,
  "/seq.md5": `${md5(SEQ)}  -\n`,
  "/loop.txt": loopText,
  "/dir/sub/nested.txt": NESTED,
  "/after-reboot.txt": SECOND_BOOT,
};

function host(tool: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tool, args, { encoding: "latin1", maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A sparse file of `bytes` holding a fresh ext4 (populated from `from` when given). */
function makeExt4(path: string, bytes: number, from?: string): void {
  const fd = openSync(path, "w");
  ftruncateSync(fd, bytes);
  closeSync(fd);
  const r = host(MKFS!, ["-q", "-F", ...(from ? ["-d", from] : []), path]);
  assert.equal(r.status, 0, `mkfs.ext4 ${path}: ${r.stderr}`);
}

/** The guest's checks on /mnt after each boot: the first boot's files with the host's checksums. */
async function verifyFirstBootFiles(s: DebianSession): Promise<void> {
  assert.equal(
    await s.sh("md5sum /mnt/seq.txt /mnt/loop.txt /mnt/dir/sub/nested.txt"),
    `${md5(SEQ)}  /mnt/seq.txt\n${md5(loopText)}  /mnt/loop.txt\n${md5(NESTED)}  /mnt/dir/sub/nested.txt\n`,
  );
  assert.equal(await s.sh("cat /mnt/seq.md5"), EXPECTED_FILES["/seq.md5"]);
  assert.equal(await s.sh("wc -c < /mnt/seq.txt"), `${SEQ.length}\n`);
}

test("2 vCPUs; ext4 on virtio-blk survives sync + reboot, e2fsck -fn clean, debugfs reads it back; a readonly disk stays read-only", { skip, timeout: 1_800_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tskvm-debian-ext4-"));
  const rw = join(dir, "rw.img");
  const ro = join(dir, "ro.img");
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const roSource = join(dir, "ro-source");
  mkdirSync(roSource);
  writeFileSync(join(roSource, "hello.txt"), RO_HELLO);
  makeExt4(rw, RW_BYTES);
  makeExt4(ro, RO_BYTES, roSource);
  const roBefore = sha256(readFileSync(ro));

  const s = DebianSession.start(["--cpus", "2", "--disk", rw, "--disk", `${ro},readonly`]);
  try {
    // ---- first boot ----
    await s.waitForShell();
    t.diagnostic(`first boot reached the shell after ${((Date.now() - s.startedAt) / 1000).toFixed(1)} s`);
    assert.equal(await s.sh("grep -c ^processor /proc/cpuinfo"), "2\n");
    assert.equal(await s.sh("nproc"), "2\n");
    // Disks in --disk order: vda read-write, vdb read-only; capacity in 512-byte sectors.
    assert.equal(
      await s.sh("cat /sys/block/vda/ro /sys/block/vdb/ro /sys/block/vda/size /sys/block/vdb/size"),
      `0\n1\n${RW_BYTES / SECTOR}\n${RO_BYTES / SECTOR}\n`,
    );

    await s.sh("mount -t ext4 /dev/vda /mnt");
    assert.match(await s.sh("grep ' /mnt ' /proc/mounts"), /^\/dev\/vda \/mnt ext4 rw[, ]/);
    await s.sh("seq 1 20000 > /mnt/seq.txt", 300_000);
    await s.sh("seq 1 20000 | md5sum > /mnt/seq.md5", 300_000);
    await s.sh(LOOP_COMMAND, 300_000);
    await s.sh(`mkdir -p /mnt/dir/sub && echo '${NESTED.trimEnd()}' > /mnt/dir/sub/nested.txt`);
    await s.sh("sync");
    await verifyFirstBootFiles(s);

    // The readonly disk: a read-write mount is refused or forced read-only; writes fail.
    await s.sh("mkdir -p /ro");
    const rwMount = await s.run("mount -t ext4 -o rw /dev/vdb /ro");
    if (rwMount.status !== 0) await s.sh("mount -t ext4 -o ro /dev/vdb /ro");
    assert.match(await s.sh("grep ' /ro ' /proc/mounts"), /^\/dev\/vdb \/ro ext4 ro[, ]/);
    assert.equal(await s.sh("cat /ro/hello.txt"), RO_HELLO);
    const touch = await s.run("touch /ro/new-file");
    assert.notEqual(touch.status, 0, "touch on the read-only mount succeeded");
    assert.match(touch.output, /Read-only file system/);
    const dd = await s.run("dd if=/dev/zero of=/dev/vdb bs=512 count=1 conv=fsync");
    assert.notEqual(dd.status, 0, `a raw write to the readonly disk succeeded:\n${dd.output}`);

    s.send("reboot");
    // ---- second boot, same tskvm process ----
    await s.waitForShell();
    t.diagnostic(`second boot reached the shell ${((Date.now() - s.startedAt) / 1000).toFixed(1)} s after start`);
    assert.equal(await s.sh("nproc"), "2\n");
    await s.sh("mount -t ext4 /dev/vda /mnt");
    await verifyFirstBootFiles(s);
    await s.sh(`echo '${SECOND_BOOT.trimEnd()}' > /mnt/after-reboot.txt`);
    await s.sh("umount /mnt");
    s.send("poweroff");
    assert.equal(await s.exit(), 0, `tskvm's exit status after poweroff\n${s.transcript(2000)}`);
    assert.equal(s.rawOutput.match(/tskvm guest: BusyBox on Debian's armmp kernel/g)?.length, 2, "two boots in one process");
  } finally {
    s.kill();
  }

  // ---- the host reads the images ----
  const fsck = host(E2FSCK!, ["-fn", rw]);
  assert.equal(fsck.status, 0, `e2fsck -fn: ${fsck.stdout}${fsck.stderr}`);
  for (const [path, content] of Object.entries(EXPECTED_FILES)) {
    const r = host(DEBUGFS!, ["-R", `cat ${path}`, rw]);
    assert.equal(r.status, 0, `debugfs cat ${path}: ${r.stderr}`);
    assert.equal(r.stdout, content, `debugfs cat ${path}`);
  }
  assert.equal(sha256(readFileSync(ro)), roBefore, "the readonly image changed");
});
