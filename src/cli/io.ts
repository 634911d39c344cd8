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
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, clock: Date.now };
}

/** Colour on a TTY unless NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  return io.stdout.isTTY === true && (io.env.NO_COLOR ?? '') === '' && io.env.TERM !== 'dumb';
}
