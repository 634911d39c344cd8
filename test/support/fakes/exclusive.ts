/**
 * `runTarget`'s exclusivity and its memory (the journal of recent creates) in memory, for the app
 * layer's tests: the CLI's lock file and journal file, and the worker's lease and table items,
 * have their own tests. `hold` plays another run holding a target.
 */
import type { RecentCreate } from '../../../src/app/run/recent-creates.js';
import type { Exclusive } from '../../../src/app/run/run.js';
import type { TargetMemory } from '../../../src/app/run/run-memory.js';

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

export interface InMemoryTargetMemory extends TargetMemory {
  /** The journal of each key, as stored now. */
  readonly journals: Map<string, RecentCreate[]>;
  /** Keys opened so far, in order. */
  readonly opened: string[];
  /** Writes made (appends and forgets), in order. */
  readonly writes: { readonly kind: 'append' | 'forget'; readonly count: number }[];
  /** Make every read, or every write, fail with this error from now on; undefined heals it. */
  failReads: Error | undefined;
  failWrites: Error | undefined;
}

/**
 * The journals of recent creates in a map.
 *
 * @example const memory = memoryTargetMemory(); await runTarget(ec2, config, { ..., memory });
 */
export function memoryTargetMemory(): InMemoryTargetMemory {
  const journals = new Map<string, RecentCreate[]>();
  const memory: InMemoryTargetMemory = {
    journals,
    opened: [],
    writes: [],
    failReads: undefined,
    failWrites: undefined,
    async open(key) {
      memory.opened.push(key);
      if (memory.failReads !== undefined) throw memory.failReads;
      const stored = () => journals.get(key) ?? [];
      return {
        entries: [...stored()],
        async append(entries) {
          if (memory.failWrites !== undefined) throw memory.failWrites;
          memory.writes.push({ kind: 'append', count: entries.length });
          journals.set(key, [...stored(), ...entries]);
        },
        async forget(snapshotIds) {
          if (memory.failWrites !== undefined) throw memory.failWrites;
          memory.writes.push({ kind: 'forget', count: snapshotIds.size });
          journals.set(
            key,
            stored().filter((e) => !snapshotIds.has(e.snapshotId)),
          );
        },
      };
    },
  };
  return memory;
}
