let lastVersion = 0

/**
 * Versions order the changes of one alert row (the highest is its current state, ReplacingMergeTree
 * keeps it): microseconds of the wall clock, strictly increasing within a process. Changes of one
 * row from different replicas (an edit here, an evaluation there) are seconds apart, far more than
 * their clocks differ.
 */
export function nextAlertVersion(): number {
  lastVersion = Math.max(Date.now() * 1000, lastVersion + 1)
  return lastVersion
}
