// The memory of the processes a `pulumi up` runs our code in. V8 lets a heap grow to up to four
// times what it holds alive when a process allocates in bursts and otherwise waits, as the
// program and the dynamic provider do: at 2,000 × 4 in grouped seeding they hold 60–140 MB alive,
// and their heaps grew to twice or three times that before a collection. The program (the one
// Pulumi.yaml names, which loads stack files) and the provider's runtime hold their heaps at 1.5
// times their live size instead, from the moment they are loaded. V8 reads the setting when it
// sizes the heap after each collection; it changes no code and no value. It must come before the
// program's first burst (loading a stack file): set when the first group registered, it changed
// nothing. TWILIO_CONVERSATIONS_HEAP_GROWING_PERCENT sets another percentage; 0 leaves V8's own.
import { setFlagsFromString } from "node:v8";

/** The heap grows to (1 + this / 100) times its live size between collections. */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;

/** The percentage to apply: the environment's when it gives a whole number, else ours. Pure. */
export function heapGrowingPercent(env: Record<string, string | undefined>): number {
  const given = env.TWILIO_CONVERSATIONS_HEAP_GROWING_PERCENT?.trim();
  return given !== undefined && /^\d+$/.test(given) ? Number(given) : HEAP_GROWING_PERCENT;
}

/** Holds this process's heap near its live size, once per process (see above). */
export function holdHeapNearLiveSize(env: Record<string, string | undefined> = process.env): void {
  if (applied) return;
  applied = true;
  const percent = heapGrowingPercent(env);
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
