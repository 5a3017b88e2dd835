/**
 * The harness's own logic, without any cross tools: outcome comparison and its report, the
 * manifest verdict, flag-set naming, and the shell reproducer's quoting.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { compilerFlags, flagSetName, parseFlagSet } from "./cross-toolchain.js";
import { judge } from "./expected-pass.js";
import { QEMU, reproduceCommand, shellQuote, type Outcome } from "./guest-runner.js";
import { compareOutcomes, describeStatus } from "./outcome-diff.js";

function outcome(stdout: string, stderr = "", status = 0, timedOut = false): Outcome {
  return { stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), rawStderr: Buffer.from(stderr), status, timedOut, wallMs: 1 };
}

describe("outcome comparison", () => {
  it("identical runs agree", () => {
    assert.equal(compareOutcomes("a", outcome("x\ny\n", "e", 3), "b", outcome("x\ny\n", "e", 3)), undefined);
  });

  it("one differing byte is a difference, located at its line", () => {
    const d = compareOutcomes("qemu", outcome("l1\nl2\nl3 abc\nl4\n"), "tskvm", outcome("l1\nl2\nl3 abd\nl4\n"));
    assert.deepEqual(d?.streams, ["stdout"]);
    assert.match(d!.report, /first difference at line 3/);
    assert.match(d!.report, /- l3 abc/);
    assert.match(d!.report, /\+ l3 abd/);
  });

  it("a missing trailing newline, a stderr difference and a status difference are each reported", () => {
    const d = compareOutcomes("qemu", outcome("a\n", "warn\n", 139), "tskvm", outcome("a", "", 0));
    assert.deepEqual(d?.streams, ["status", "stdout", "stderr"]);
    assert.match(d!.report, /status: qemu=139\(signal 11\) tskvm=0/);
  });

  it("a timeout differs from any status", () => {
    const d = compareOutcomes("qemu", outcome("", "", -1, false), "tskvm", outcome("", "", -1, true));
    assert.deepEqual(d?.streams, ["status"]);
    assert.match(describeStatus(outcome("", "", -1, true)), /^timeout/);
  });

  it("non-printable bytes are shown escaped", () => {
    const d = compareOutcomes("l", outcome("\x01\xff"), "r", outcome("\x01\xfe"));
    assert.match(d!.report, /\\x01/);
  });
});

describe("expected-pass manifest verdict", () => {
  const results = new Map([
    ["corpus/a/arm-O0", true],
    ["corpus/a/thumb-O2", false],
    ["csmith/1/arm-O1", true],
  ]);
  it("a listed case that differs is a regression; an unlisted case that agrees is newly passing", () => {
    const v = judge(new Set(["corpus/a/arm-O0", "corpus/a/thumb-O2", "corpus/gone/arm-O0"]), results);
    assert.deepEqual(v.regressions, ["corpus/a/thumb-O2"]);
    assert.deepEqual(v.newlyPassing, ["csmith/1/arm-O1"]);
    assert.equal(v.listedPassing, 1);
    assert.deepEqual(v.unknown, ["corpus/gone/arm-O0"]);
  });
  it("an empty manifest has no regressions", () => {
    assert.deepEqual(judge(new Set(), results).regressions, []);
  });
});

describe("flag sets and reproducers", () => {
  it("names round-trip and map to gcc flags", () => {
    assert.equal(flagSetName(parseFlagSet("thumb-Os")), "thumb-Os");
    assert.throws(() => parseFlagSet("x86-O2"));
    const f = compilerFlags({ isa: "arm", opt: "O3" });
    for (const flag of ["-static", "-marm", "-O3", "-mfloat-abi=hard", "-march=armv7-a"]) assert.ok(f.includes(flag), flag);
  });

  it("the reproducer command is valid shell that feeds the same stdin and arguments", () => {
    const cmd = reproduceCommand({ ...QEMU, command: (_b, a) => ["printf", "%s|", ...a] }, "/bin/x", {
      args: ["a b", "", "it's"],
      stdin: "x\ny",
    });
    const r = spawnSync("sh", ["-c", cmd], { encoding: "utf8" });
    assert.equal(r.stdout, "a b||it's|");
    assert.equal(shellQuote("plain/path-1.c"), "plain/path-1.c");
    assert.equal(shellQuote("two words"), "'two words'");
  });
});
