// Counters for everything the data readers skip instead of failing the run. One object is shared
// by all readers of a run and reported in its stats; `examples` keeps a few messages naming the
// shard and the sample key so a person can find the bad data.

export const PROBLEM_KINDS = [
  'unreadableShard',
  'corruptShard',
  'corruptMember',
  'missingCaption',
  'missingImage',
  'missingLabel',
  'undecodableImage',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface DataStats {
  /** Shards opened (each pass over a shard counts again). */
  shardsOpened: number;
  /** Samples (groups of members sharing a key) seen, valid or not. */
  scanned: number;
  /** Samples handed on to the caller. */
  yielded: number;
  /** Shards that could not be opened or read at all (missing file, HTTP error). */
  unreadableShards: number;
  /** Shards with a damaged region or a truncated end (the rest of the shard was still read). */
  corruptShards: number;
  /** Tar members lost to damage (an unreadable header or data cut short). */
  corruptMembers: number;
  missingCaption: number;
  missingImage: number;
  /** Eval samples without a readable `.cls` class index. */
  missingLabel: number;
  undecodableImage: number;
  /** The first few problems, e.g. "missingCaption: pool/00001.tar#000010042 has no .txt". */
  examples: string[];
}

const COUNTER_OF: Record<ProblemKind, keyof Omit<DataStats, 'examples'>> = {
  unreadableShard: 'unreadableShards',
  corruptShard: 'corruptShards',
  corruptMember: 'corruptMembers',
  missingCaption: 'missingCaption',
  missingImage: 'missingImage',
  missingLabel: 'missingLabel',
  undecodableImage: 'undecodableImage',
};

/** How many problem messages a stats object keeps. */
export const MAX_EXAMPLES = 20;

export function createDataStats(): DataStats {
  return {
    shardsOpened: 0,
    scanned: 0,
    yielded: 0,
    unreadableShards: 0,
    corruptShards: 0,
    corruptMembers: 0,
    missingCaption: 0,
    missingImage: 0,
    missingLabel: 0,
    undecodableImage: 0,
    examples: [],
  };
}

/** Count one problem and keep its message while there is room. */
export function recordProblem(
  stats: DataStats,
  kind: ProblemKind,
  message: string,
  count = 1,
): void {
  stats[COUNTER_OF[kind]] += count;
  if (stats.examples.length < MAX_EXAMPLES) stats.examples.push(`${kind}: ${message}`);
}

/** Add `from`'s counters into `into` (examples are appended while there is room). */
export function mergeDataStats(into: DataStats, from: DataStats): DataStats {
  for (const key of Object.keys(from) as (keyof DataStats)[]) {
    if (key === 'examples') continue;
    into[key] += from[key];
  }
  for (const example of from.examples) {
    if (into.examples.length >= MAX_EXAMPLES) break;
    into.examples.push(example);
  }
  return into;
}

/** One line for logs: "scanned 20000, yielded 19997, skipped: missingCaption 2, undecodableImage 1". */
export function formatDataStats(stats: DataStats): string {
  const problems = PROBLEM_KINDS.map((kind) => [COUNTER_OF[kind], stats[COUNTER_OF[kind]]] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} ${n}`);
  return `scanned ${stats.scanned}, yielded ${stats.yielded}, skipped: ${problems.join(', ') || 'none'}`;
}
