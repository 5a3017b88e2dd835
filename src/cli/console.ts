/**
 * The guest's console on the host terminal, like QEMU's `-serial mon:stdio` / `-nographic`:
 * stdin bytes go to the guest UART, the UART's output goes to stdout. When stdin is a TTY it is put in
 * raw mode (so Ctrl-C, Ctrl-Z, line editing reach the guest) and the escape prefix Ctrl-A is
 * interpreted: Ctrl-A X quits, Ctrl-A Ctrl-A sends one literal Ctrl-A, Ctrl-A H lists the keys; any
 * other key after Ctrl-A is sent as it is, with the Ctrl-A. The terminal mode is restored on every
 * exit path (restore() is idempotent, and is also hooked on process 'exit').
 */

export const CTRL_A = 0x01;

export type EscapeAction = "quit" | "help";

/**
 * The Ctrl-A escape state machine, independent of any stream (so it can be tested byte by byte).
 * feed() returns the bytes meant for the guest and the actions typed; a Ctrl-A at the end of one
 * chunk pairs with the first byte of the next.
 */
export class ConsoleEscape {
  private pending = false;

  feed(chunk: Uint8Array): { forward: Uint8Array; actions: EscapeAction[] } {
    const out = new Uint8Array(chunk.length + 1);
    let n = 0;
    const actions: EscapeAction[] = [];
    for (const b of chunk) {
      if (!this.pending) {
        if (b === CTRL_A) this.pending = true;
        else out[n++] = b;
        continue;
      }
      this.pending = false;
      if (b === 0x78 || b === 0x58) actions.push("quit"); // x, X
      else if (b === 0x68 || b === 0x48 || b === 0x3f) actions.push("help"); // h, H, ?
      else if (b === CTRL_A) out[n++] = CTRL_A;
      else {
        out[n++] = CTRL_A;
        out[n++] = b;
      }
    }
    return { forward: out.subarray(0, n), actions };
  }
}

export const ESCAPE_HELP = "\r\nC-a x    exit\r\nC-a h    this help\r\nC-a C-a  send C-a\r\n";

export interface ConsoleStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

export interface ConsoleHandlers {
  /** Bytes typed for the guest. */
  input(bytes: Uint8Array): void;
  /** Ctrl-A X (only on a TTY) or end of stdin is not a quit: the guest keeps running. */
  quit(): void;
}

export class HostConsole {
  private readonly escape: ConsoleEscape | undefined;
  private rawSet = false;
  private started = false;
  private readonly onData = (chunk: Buffer): void => this.received(chunk);
  private readonly onExit = (): void => this.restore();
  private outBuf: Uint8Array = new Uint8Array(4096);
  private outLen = 0;
  private flushScheduled = false;

  constructor(
    private readonly streams: ConsoleStreams,
    private readonly handlers: ConsoleHandlers,
  ) {
    this.escape = streams.stdin.isTTY ? new ConsoleEscape() : undefined;
  }

  /** Starts reading stdin (raw mode on a TTY). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { stdin } = this.streams;
    if (stdin.isTTY && typeof stdin.setRawMode === "function") {
      stdin.setRawMode(true);
      this.rawSet = true;
      process.on("exit", this.onExit);
    }
    stdin.on("data", this.onData);
    stdin.resume();
  }

  private received(chunk: Buffer): void {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.escape) {
      this.handlers.input(bytes);
      return;
    }
    const { forward, actions } = this.escape.feed(bytes);
    if (forward.length > 0) this.handlers.input(forward);
    for (const a of actions) {
      if (a === "quit") this.handlers.quit();
      else this.streams.stdout.write(ESCAPE_HELP);
    }
  }

  /** One byte of guest output; written out in batches at the next turn of the event loop. */
  writeByte(byte: number): void {
    if (this.outLen === this.outBuf.length) this.flush();
    this.outBuf[this.outLen++] = byte;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    if (this.outLen === 0) return;
    this.streams.stdout.write(this.outBuf.slice(0, this.outLen));
    this.outLen = 0;
  }

  /** Stops reading stdin and leaves raw mode. Safe to call more than once. */
  restore(): void {
    this.flush();
    const { stdin } = this.streams;
    if (this.started) {
      stdin.off("data", this.onData);
      stdin.pause();
      this.started = false;
    }
    if (this.rawSet) {
      this.rawSet = false;
      stdin.setRawMode(false);
      process.off("exit", this.onExit);
    }
  }
}
