/**
 * A fake clock whose sleep advances time at once and records each wait. The sleep still yields
 * to the event loop (a zero timer), as a real wait would, so other lanes move on meanwhile.
 */
export function fakeClock(start = 1_000_000): {
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let now = start;
  const slept: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    slept,
  };
}
