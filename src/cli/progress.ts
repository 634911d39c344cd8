/**
 * Progress on stderr: one line rewritten in place on a TTY, plain log lines with -v otherwise,
 * nothing at all when neither. Stdout stays clean for the plan.
 */
import type { CollectProgress } from '../app/kit/ports.js';

export interface Progress {
  collect(event: CollectProgress): void;
  apply(target: string, event: { done: number; total: number; failed: number }): void;
  log(message: string): void;
  done(): void;
}

interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export function createProgress(stream: ProgressStream, verbose: boolean): Progress {
  const tty = stream.isTTY === true;
  const state = new Map<string, string>();
  let lastDraw = 0;
  let drawn = false;

  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const line = [...state.values()].join(' | ').slice(0, 200);
    stream.write(`\r\u001b[2K${line}`);
    drawn = true;
  };

  const update = (key: string, text: string, force = false) => {
    if (tty) {
      state.set(key, text);
      draw(force);
    } else if (verbose && force) {
      stream.write(`${text}\n`);
    }
  };

  return {
    collect(event) {
      const key = `${event.account}/${event.region}`;
      update(key, `${key}: ${event.resource} ${event.count}`);
    },
    apply(target, event) {
      const failed = event.failed > 0 ? `, ${event.failed} failed` : '';
      update(target, `${target}: ${event.done}/${event.total} actions${failed}`, event.done === event.total);
    },
    log(message) {
      if (tty && drawn) stream.write('\r\u001b[2K');
      stream.write(`${message}\n`);
      if (tty && drawn) draw(true);
    },
    done() {
      if (tty && drawn) stream.write('\r\u001b[2K');
      drawn = false;
      state.clear();
    },
  };
}
