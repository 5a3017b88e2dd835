// `tskvm guest`: a directory that cannot be used is the user's mistake — one line naming it and the
// reason, status 1, no stack trace; `guest path` says where the guest would be.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../src/cli/main.js", import.meta.url).pathname;

test("guest fetch into a path under a regular file: one clear line, status 1", () => {
  const tmp = mkdtempSync(join(tmpdir(), "tskvm-guest-cli-"));
  try {
    const file = join(tmp, "file");
    writeFileSync(file, "");
    const r = spawnSync(process.execPath, [CLI, "guest", "fetch", "--dir", join(file, "sub")], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^tskvm: guest fetch: cannot use '.*\/file\/sub': ENOTDIR/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("guest path names an empty directory as having no guest yet", () => {
  const tmp = mkdtempSync(join(tmpdir(), "tskvm-guest-cli-"));
  try {
    const r = spawnSync(process.execPath, [CLI, "guest", "path", "--dir", tmp], { encoding: "utf8" });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${tmp} (no guest yet: run tskvm guest fetch)\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
