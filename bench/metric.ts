/** One benchmark figure, with the direction in which it improves and an optional target. */
export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  target?: number;
  better: "higher" | "lower";
}
