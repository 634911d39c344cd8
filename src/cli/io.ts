/** What a command may touch of the process: injected so commands are testable in process. */
export interface CliIo {
  readonly stdout: { isTTY?: boolean; write(text: string): boolean };
  readonly stderr: { isTTY?: boolean; write(text: string): boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly clock: () => number;
  /** Aborted when the process is told to stop (SIGINT, SIGTERM): runs end and release their locks. */
  readonly signal?: AbortSignal;
}

export function processIo(): CliIo {
  return {
    stdout: pipeSafe(process.stdout),
    stderr: pipeSafe(process.stderr),
    env: process.env,
    clock: Date.now,
  };
}

/**
 * A stream whose reader may go away (`ebs-snapper plan | head -1`): once a write fails with EPIPE
 * the rest of the output is dropped quietly — no stack trace — and the command goes on to its end
 * (a run still finishes what it started: an instance it stopped is still started again), so the
 * exit code says how the work went, not that nobody read the rest.
 */
function pipeSafe(stream: NodeJS.WriteStream): CliIo['stdout'] {
  let readerGone = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      readerGone = true;
      return;
    }
    throw error;
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    write(text: string) {
      if (readerGone) return true;
      return stream.write(text);
    },
  };
}

/** Colour on a TTY unless NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  return io.stdout.isTTY === true && (io.env.NO_COLOR ?? '') === '' && io.env.TERM !== 'dumb';
}
