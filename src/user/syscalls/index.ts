/**
 * Loads every system-call module, each of which registers its calls in the table (table.ts).
 */
import "./io.js";
import "./descriptors.js";
import "./paths.js";
import "./stat.js";
import "./memory.js";
import "./system.js";
import "./signal.js";

export { dispatchSyscall, SYSCALLS } from "./table.js";
