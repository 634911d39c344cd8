/**
 * Slots per key: `max_stopped` instances of a policy stopped at once, or one per Auto Scaling
 * group, so a group never loses more than one member at a time (SPEC §6).
 */
export class KeyedSlots {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Wait for a slot of `key` (at most `limit` held at once); call the returned function to give it back. */
  async acquire(key: string, limit: number): Promise<() => void> {
    while ((this.held.get(key) ?? 0) >= limit) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    }
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held.set(key, (this.held.get(key) ?? 1) - 1);
      this.waiting.get(key)?.shift()?.();
    };
  }
}
