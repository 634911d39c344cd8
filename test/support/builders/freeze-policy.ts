/** An application-consistent policy in words, for core, app and adapter tests alike. */
import type { FreezeScripts, Policy } from '../../../src/core/policy/types.js';
import { policy, type SelectInput } from './policy.js';

/** The built-in fsfreeze both ways, 30 s, no retry, crash-consistent — unless said. */
export function freezePolicy(id: string, select: SelectInput, scripts: Partial<FreezeScripts> = {}): Policy {
  return policy({
    id,
    select,
    every: '1d',
    snapshot: {
      consistency: 'application',
      scripts: {
        pre: 'fsfreeze',
        post: 'fsfreeze',
        timeoutMs: 30_000,
        retries: 0,
        onFailure: 'crash-consistent',
        ...scripts,
      },
    },
  });
}
