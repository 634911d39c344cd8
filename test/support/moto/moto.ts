import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, requestText } from '../http.js';

/** The account moto answers as for any access key. */
export const MOTO_ACCOUNT_ID = '123456789012';

/** A running moto server on a loopback port. */
export interface MotoServer {
  /** e.g. `http://127.0.0.1:41237`: give it to SDK clients as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Forgets every resource in every region and account (`POST /moto-api/reset`). */
  reset(): Promise<void>;
  /** Stops the server and waits until it is gone; calling it twice is harmless. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Preload moto's 1,177 public AMIs (and their snapshots owned by other accounts). Default false. */
  readonly loadDefaultAmis?: boolean;
  /** How long to wait for `GET /moto-api/` to answer 200. Default 30 s. */
  readonly timeoutMs?: number;
  /** Extra environment for the server, e.g. other `MOTO_*` settings. */
  readonly env?: Readonly<Record<string, string>>;
}

/** SDK client settings that point at moto: spread them into any v3 client's constructor. */
export interface MotoClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const STDERR_TAIL_CHARS = 8_000;
const STOP_GRACE_MS = 5_000;

/**
 * Runs moto, and kills it when the process that started it dies in any way (even SIGKILL): the
 * watcher holds our stdin pipe and stops moto when it closes. On SIGTERM the shell stops moto and
 * waits for it, so no orphan is left for an init that may not reap.
 */
const LAUNCH_SCRIPT = `exec 3<&0
COMMAND "$@" </dev/null 3<&- & moto=$!
{ read -r -u 3 _; kill -TERM $moto 2>/dev/null; } & watcher=$!
trap 'kill -TERM $moto $watcher 2>/dev/null; wait $moto; exit 143' TERM
wait $moto
status=$?
kill $watcher 2>/dev/null
exit $status`;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/**
 * Starts moto server (the command in `.moto/command`, written by scripts/ensure-moto.sh) on
 * 127.0.0.1 and a free port, and resolves once it answers.
 *
 * @example
 * const moto = await startMoto();
 * const ec2 = new EC2Client(motoClientConfig(moto.endpoint, 'us-east-1'));
 * await moto.stop();
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const command = readMotoCommand();
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    try {
      return await launchMoto(command, port, options);
    } catch (error) {
      // The free port can be taken between finding and binding it: try another one.
      if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
    }
  }
}

/**
 * Client settings for moto: its endpoint, a region and dummy keys (moto accepts any).
 *
 * @example new EC2Client({ ...motoClientConfig(moto.endpoint, 'eu-west-1'), maxAttempts: 1 })
 */
export function motoClientConfig(endpoint: string, region: string): MotoClientConfig {
  return { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

function readMotoCommand(): string {
  const file = join(repoRoot, '.moto', 'command');
  if (!existsSync(file)) {
    const ensure = spawnSync('bash', [join(repoRoot, 'scripts', 'ensure-moto.sh')], { encoding: 'utf8' });
    if (ensure.status !== 0 || !existsSync(file)) {
      throw new Error(`moto server is not available: ${ensure.stderr.trim()}`);
    }
  }
  return readFileSync(file, 'utf8').trim();
}

async function launchMoto(command: string, port: number, options: StartMotoOptions): Promise<MotoServer> {
  const env = {
    ...process.env,
    MOTO_EC2_LOAD_DEFAULT_AMIS: options.loadDefaultAmis === true ? 'true' : 'false',
    ...options.env,
  };
  const script = LAUNCH_SCRIPT.replace('COMMAND', command);
  const child = spawn('bash', ['-c', script, 'moto', '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', () => running.delete(child));
  const stderr = collectStderrTail(child);
  // Neither moto nor its pipes may keep a finished test process alive.
  child.unref();
  for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, exited, options.timeoutMs ?? 30_000);
  } catch (error) {
    await stopChild(child, exited);
    throw new Error(`moto server (${command}) did not start: ${(error as Error).message}\n${stderr()}`, {
      cause: error,
    });
  }
  return {
    endpoint,
    port,
    reset: async () => {
      const { status, body } = await requestText('POST', `${endpoint}/moto-api/reset`);
      if (status !== 200) throw new Error(`moto reset answered ${status}: ${body}`);
    },
    stop: () => stopChild(child, exited),
  };
}

function collectStderrTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    tail = (tail + text).slice(-STDERR_TAIL_CHARS);
  });
  return () => tail;
}

async function waitUntilReady(endpoint: string, exited: Promise<number | null>, timeoutMs: number) {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
    const status = await requestText('GET', `${endpoint}/moto-api/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`GET ${endpoint}/moto-api/ did not answer 200 within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    child.stdin?.destroy();
    return;
  }
  // The child is unreferenced: this keeps Node from exiting while we wait for it.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      killGroup(child, 'SIGKILL');
      await exited;
    }
  } finally {
    clearInterval(keepAlive);
    // The watcher's stdin pipe is ours to close.
    child.stdin?.destroy();
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
