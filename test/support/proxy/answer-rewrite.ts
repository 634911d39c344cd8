/**
 * Answers the fault proxy rewrites on their way back: what moto cannot produce, played on top of
 * what it did — a stack in `ROLLBACK_COMPLETE`, a failed resource among a stack's events.
 */
import type { ServerResponse } from 'node:http';

/** Rewrites the body of successful (200) answers of one action. */
export interface AnswerRewrite {
  /**
   * The new body, or undefined to leave this answer as it is. `params` are the request's form
   * parameters (e.g. `StackName`, a name or an id).
   */
  readonly body: (body: string, params: URLSearchParams) => string | undefined;
  /** Rewrite this many answers, then leave them alone (every one when omitted). */
  readonly times?: number;
}

export interface AnswerRewriter {
  /** Makes `res` rewrite the answer it is about to send for `action`. */
  intercept(res: ServerResponse, action: string, params: URLSearchParams): void;
  /** Answers rewritten so far, per action. */
  counts(): Record<string, number>;
}

/**
 * @example
 * createAnswerRewriter({ DescribeStacks: { times: 1, body: (b) => b.replace(/CREATE_COMPLETE/, 'ROLLBACK_COMPLETE') } })
 */
export function createAnswerRewriter(rewrites: Readonly<Record<string, AnswerRewrite>> = {}): AnswerRewriter {
  const done: Record<string, number> = {};
  return {
    counts: () => ({ ...done }),
    intercept(res, action, params) {
      const rewrite = rewrites[action];
      if (rewrite === undefined) return;
      // The proxy answers with one writeHead and one end(body): hold the head until the body is known.
      let head: { status: number; headers: Record<string, unknown> } | undefined;
      const writeHead = res.writeHead.bind(res);
      const end = res.end.bind(res);
      res.writeHead = ((status: number, headers: Record<string, unknown>) => {
        head = { status, headers };
        return res;
      }) as typeof res.writeHead;
      res.end = ((chunk?: Buffer) => {
        let body = chunk ?? Buffer.alloc(0);
        const left = (rewrite.times ?? Number.POSITIVE_INFINITY) - (done[action] ?? 0);
        const rewritten =
          head?.status === 200 && left > 0 ? rewrite.body(body.toString('utf8'), params) : undefined;
        if (rewritten !== undefined) {
          body = Buffer.from(rewritten);
          done[action] = (done[action] ?? 0) + 1;
        }
        if (head !== undefined)
          writeHead(head.status, { ...head.headers, 'content-length': String(body.length) });
        return end(body);
      }) as typeof res.end;
    },
  };
}
