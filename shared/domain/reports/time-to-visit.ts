/**
 * Median time-to-visit from the counters' histogram (never the raw log): the bucket holding the
 * lower median, shown as "within N minutes". Pure.
 */
import { TTV_BUCKET_MINUTES } from "../conversion.ts";

/** Where the median time-to-visit falls in the histogram. */
export interface HistogramMedian {
  bucket: number;
  /** Exclusive lower bound of the bucket, minutes (0 for the first). */
  lowerBoundMinutes: number;
  /** Inclusive upper bound of the bucket, minutes: the value reports show. */
  upperBoundMinutes: number;
  /** Attributed visits the histogram holds. */
  sampleSize: number;
}

export const TTV_MEDIAN_METHOD =
  "The counters keep a histogram of time-to-visit (buckets with upper bounds 5, 10, 15 … 43200 " +
  "minutes), not raw values: the median reported is the upper bound of the bucket holding the " +
  "lower median (the ⌈n/2⌉-th smallest value), so the true median lies in " +
  "(lowerBoundMinutes, upperBoundMinutes]. The histogram holds treated attributed visits " +
  "(time from the send to the first visit).";

/**
 * The bucket of the lower median of a time-to-visit histogram, or null when it is empty. Reports
 * show the bucket's upper bound: an honest "within N minutes" without reading the log.
 */
export function histogramMedian(histogram: readonly number[]): HistogramMedian | null {
  const n = histogram.reduce((sum, c) => sum + c, 0);
  if (n === 0) return null;
  const rank = Math.ceil(n / 2);
  let cumulative = 0;
  for (let i = 0; i < histogram.length; i++) {
    cumulative += histogram[i] ?? 0;
    if (cumulative >= rank) {
      const upper = TTV_BUCKET_MINUTES[Math.min(i, TTV_BUCKET_MINUTES.length - 1)] ?? 0;
      const lower = i === 0 ? 0 : (TTV_BUCKET_MINUTES[i - 1] ?? 0);
      return { bucket: i, lowerBoundMinutes: lower, upperBoundMinutes: upper, sampleSize: n };
    }
  }
  return null;
}
