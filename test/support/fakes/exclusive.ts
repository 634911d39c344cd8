/**
 * `runTarget`'s exclusivity in memory, for the app layer's tests: the CLI's lock file and the
 * worker's lease have their own tests. `hold` plays another run holding a target.
 */
import type { Exclusive } from '../../../src/app/run/run.js';

export class TargetHeldError extends Error {}

export interface MemoryExclusive {
  readonly exclusive: Exclusive;
  /** Keys taken so far, in order (a dry run takes none). */
  readonly taken: string[];
  /** Another run holds `key` from now on. */
  hold(key: string): void;
}

export function memoryExclusive(): MemoryExclusive {
  const held = new Set<string>();
  const taken: string[] = [];
  return {
    taken,
    hold: (key) => held.add(key),
    exclusive: async (key, work) => {
      if (held.has(key)) throw new TargetHeldError(`${key} is held by another run`);
      held.add(key);
      taken.push(key);
      try {
        return await work();
      } finally {
        held.delete(key);
      }
    },
  };
}
