/** One benchmark figure, with the direction in which it improves and an optional target. */
export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  target?: number;
  better: "higher" | "lower";
}

/** What `npm run bench` passes every module. */
export interface BenchOptions {
  /** Seeding sizes, in conversations × 4 messages. */
  sizes?: number[];
  /** seeding-grouped: the sizes at which one resource per conversation also runs. */
  perConversationSizes?: number[];
}

/** A module's figures, with notes printed under the table (what was left out, and why). */
export interface BenchReport {
  metrics: BenchMetric[];
  notes: string[];
}
