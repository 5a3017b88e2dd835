#!/usr/bin/env node
// Removes dist/ before a build, so compiled files whose sources were deleted or renamed (a test file
// in particular, which the test runner would still pick up) cannot linger.
import { rmSync } from "node:fs";
rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
