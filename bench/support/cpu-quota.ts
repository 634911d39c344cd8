/**
 * A Lambda's CPU share, imposed on a child process from outside: the CFS bandwidth control Lambda
 * applies (a quota of CPU time per period, all threads together), emulated with SIGSTOP/SIGCONT.
 * The parent polls the child's CPU time (`/proc/<pid>/stat`, every thread included) and stops the
 * child once it has used its quota in the current period; the next period lets it go on. CPU
 * used beyond the quota (the poll comes late) is owed to the next periods, so the share holds
 * over a run; quota left unused is not banked (an idle child gains no burst), as with CFS.
 *
 * `stepQuota` is the pure rule (tested); `throttleProcess` drives it with a timer. Where `/proc`
 * is missing, the child's running wall time stands in for its CPU time (a plain duty cycle).
 */
import { readFileSync } from 'node:fs';

/** Lambda gives one vCPU at 1,769 MB, proportionally less below (and more, up to 6, above). */
export const LAMBDA_MB_PER_VCPU = 1769;

/** The vCPU share Lambda gives a function of `memoryMb`. */
export function lambdaCpuShare(memoryMb: number): number {
  return Math.min(6, memoryMb / LAMBDA_MB_PER_VCPU);
}

/**
 * The heap flags Lambda's Node.js runtime starts with: a tenth of the memory for the young
 * generation (two semi-spaces), the rest for the old one.
 */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

export interface QuotaShape {
  readonly periodMs: number;
  /** CPU milliseconds per period: share × period. */
  readonly quotaMs: number;
}

export interface QuotaState {
  readonly periodStartMs: number;
  readonly cpuAtPeriodStartMs: number;
  /** CPU used beyond the quota, owed to the next periods. */
  readonly debtMs: number;
  readonly stopped: boolean;
}

export type QuotaSignal = 'SIGSTOP' | 'SIGCONT' | undefined;

/** The state at `nowMs` for a child that has used `cpuMs` of CPU in all. */
export function startQuota(nowMs: number, cpuMs: number): QuotaState {
  return { periodStartMs: nowMs, cpuAtPeriodStartMs: cpuMs, debtMs: 0, stopped: false };
}

/**
 * One poll: roll the period on when it has passed, then stop a child that has used its quota or
 * let one go that has quota again.
 *
 * @example stepQuota(startQuota(0, 0), 30, 60, { periodMs: 100, quotaMs: 58 }) // stopped, SIGSTOP
 */
export function stepQuota(
  state: QuotaState,
  nowMs: number,
  cpuMs: number,
  shape: QuotaShape,
): { state: QuotaState; signal: QuotaSignal } {
  let { periodStartMs, cpuAtPeriodStartMs, debtMs } = state;
  const periods = Math.floor((nowMs - periodStartMs) / shape.periodMs);
  if (periods > 0) {
    const used = cpuMs - cpuAtPeriodStartMs;
    debtMs = Math.max(0, debtMs + used - shape.quotaMs * periods);
    periodStartMs += periods * shape.periodMs;
    cpuAtPeriodStartMs = cpuMs;
  }
  const left = shape.quotaMs - debtMs - (cpuMs - cpuAtPeriodStartMs);
  const stopped = left <= 0;
  const signal: QuotaSignal = stopped === state.stopped ? undefined : stopped ? 'SIGSTOP' : 'SIGCONT';
  return { state: { periodStartMs, cpuAtPeriodStartMs, debtMs, stopped }, signal };
}

/** A running throttle; `stop()` lets the child go and reports what it did. */
export interface Throttle {
  stop(): { readonly cpuMs: number; readonly wallMs: number; readonly stoppedMs: number };
}

const TICKS_PER_SECOND = 100;

/** CPU milliseconds of every thread of `pid`, or undefined where /proc is missing. */
function readCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Holds `pid` to `share` of one CPU, in periods of `periodMs`, polling every `pollMs`.
 *
 * @example const throttle = throttleProcess(child.pid, lambdaCpuShare(1024)); ... throttle.stop();
 */
export function throttleProcess(pid: number, share: number, periodMs = 100, pollMs = 2): Throttle {
  const shape = { periodMs, quotaMs: share * periodMs };
  const started = performance.now();
  let runningMs = 0;
  let lastPoll = started;
  let stoppedMs = 0;
  // Once the child has exited, /proc has nothing: its last reading stands.
  let lastCpu: number | undefined;
  const cpuNow = () => {
    lastCpu = readCpuMs(pid) ?? lastCpu;
    return lastCpu ?? runningMs;
  };
  let state = startQuota(started, cpuNow());
  const timer = setInterval(() => {
    const now = performance.now();
    if (state.stopped) stoppedMs += now - lastPoll;
    else runningMs += now - lastPoll;
    lastPoll = now;
    const next = stepQuota(state, now, cpuNow(), shape);
    state = next.state;
    if (next.signal !== undefined) {
      try {
        process.kill(pid, next.signal);
      } catch {
        clearInterval(timer); // the child is gone
      }
    }
  }, pollMs);
  return {
    stop() {
      clearInterval(timer);
      const cpuMs = cpuNow();
      if (state.stopped) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {}
      }
      return { cpuMs, wallMs: performance.now() - started, stoppedMs };
    },
  };
}
