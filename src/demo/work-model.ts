import type { ProjectKind } from './names.js'

/**
 * How long annotation takes, per kind of project. The plan uses it to create enough jobs for
 * the team's hours; the annotator's activity uses the same numbers to pace the work, so jobs
 * finish at about the rate they were planned for.
 */
export interface KindModel {
  /** Frames in one job, smallest and largest. */
  readonly framesPerJob: readonly [number, number]
  /** Mean number of new objects per frame (Poisson). */
  readonly objectsPerFrame: number
  /** Median seconds to draw one object. */
  readonly secondsPerObject: number
  /** Median seconds looking at a frame besides drawing. */
  readonly secondsPerFrame: number
  /** Probability that a frame's existing objects are adjusted (video: moving boxes along a track). */
  readonly adjustPerFrame: number
  /** What CVAT's server logs when the job is saved: `create:shapes`, `create:tracks`, `create:tags`. */
  readonly annotation: 'shapes' | 'tracks' | 'tags'
}

export const KIND_MODELS: Record<ProjectKind, KindModel> = {
  boxes: {
    framesPerJob: [150, 350],
    objectsPerFrame: 2.2,
    secondsPerObject: 7,
    secondsPerFrame: 5,
    adjustPerFrame: 0.3,
    annotation: 'shapes',
  },
  polygons: {
    framesPerJob: [80, 180],
    objectsPerFrame: 1.3,
    secondsPerObject: 25,
    secondsPerFrame: 7,
    adjustPerFrame: 0.35,
    annotation: 'shapes',
  },
  video: {
    framesPerJob: [500, 1400],
    objectsPerFrame: 0.12,
    secondsPerObject: 9,
    secondsPerFrame: 3,
    adjustPerFrame: 0.45,
    annotation: 'tracks',
  },
  tags: {
    framesPerJob: [500, 1400],
    objectsPerFrame: 1,
    secondsPerObject: 2,
    secondsPerFrame: 2.5,
    adjustPerFrame: 0.02,
    annotation: 'tags',
  },
}

/** Rough hours one job of this kind takes an annotator of average pace (for planning only). */
export function estimatedJobHours(kind: ProjectKind): number {
  const m = KIND_MODELS[kind]
  const frames = (m.framesPerJob[0] + m.framesPerJob[1]) / 2
  // Medians of log-normal times understate their means by ~15%; adjustments and saves add more.
  const secondsPerFrame = 1.3 * (m.secondsPerFrame + m.objectsPerFrame * m.secondsPerObject) + 2
  return (frames * secondsPerFrame) / 3600
}
