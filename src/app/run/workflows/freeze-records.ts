/**
 * What the freeze workflow (SPEC §15) reports: one record per instance it worked on (its frozen
 * time is the `FrozenMs` metric), and the instances a crashed run left frozen that this run thawed.
 */
import type { ErrorInfo } from '../../kit/classify-error.js';

/** One instance's freeze → snapshot → thaw. */
export interface FreezeRecord {
  readonly policy: string;
  readonly instanceId: string;
  /** The consistency its set was taken with; absent when none was taken. */
  readonly consistency?: 'application' | 'crash';
  /** Pre scripts sent (retries included). */
  readonly preSent: number;
  /** From the pre script's end to the post script's send, as the tool saw it, ms. */
  readonly frozenMs?: number;
  /** The post script succeeded and the tags are gone (or no pre script was sent). */
  readonly thawed: boolean;
}

/** One instance a crashed run left frozen, and what this run did about it. */
export interface Thawed {
  readonly instanceId: string;
  /** `thawed` (post script succeeded), `untagged`; `stopped` (a stop thaws) or the instance's end when gone. */
  readonly done: readonly string[];
  /** Set when it could not be thawed: the tags stay, the next run tries again. */
  readonly error?: ErrorInfo;
}
