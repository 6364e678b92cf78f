// The growth benchmark's data: a synthetic pool that grows in three stages, each bringing new
// classes (stage 1: 4 colours × 3 shapes; stage 2: 4 more colours; stage 3: 3 harder shapes for
// all 8 colours), so that a small model saturates; each stage's pool is its new shards plus a
// replay share of older shards; one eval set covers the classes of every stage.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticData } from '@curio/synthetic';

const COLOURS_1 = ['red', 'green', 'blue', 'yellow'];
const COLOURS_2 = ['purple', 'orange', 'pink', 'cyan'];
const SHAPES_1 = ['circle', 'triangle', 'cross'];
const SHAPES_3 = ['square', 'star', 'hexagon'];
const cross = (colours: string[], shapes: string[]) =>
  colours.flatMap((c) => shapes.map((s) => `${c} ${s}`));

/** The classes each stage brings. */
export const STAGE_CLASSES: string[][] = [
  cross(COLOURS_1, SHAPES_1),
  cross(COLOURS_2, SHAPES_1),
  cross([...COLOURS_1, ...COLOURS_2], SHAPES_3),
];

export interface Stage {
  /** Classes seen so far (all stages up to this one). */
  classes: string[];
  /** This stage's new shards. */
  newShards: string[];
  /** New shards plus the replayed old ones: what the stage trains on. */
  shards: string[];
}

export interface GrowthBenchData {
  stages: Stage[];
  evalDir: string;
  allClasses: string[];
}

export interface GrowthBenchDataOptions {
  /** New pairs at each stage, one per entry of STAGE_CLASSES (a pool that grows may bring more
   *  each time). */
  pairsPerStage: readonly number[];
  shardSize: number;
  replay: number;
  seed: number;
  evalPerClass: number;
}

export async function growthBenchData(o: GrowthBenchDataOptions): Promise<GrowthBenchData> {
  const root = await mkdtemp(join(tmpdir(), 'curio-bench-growth-'));
  const stages: Stage[] = [];
  const old: string[] = [];
  let classes: string[] = [];
  for (const [i, stageClasses] of STAGE_CLASSES.entries()) {
    const data = await generateSyntheticData({
      outDir: join(root, `stage-${i + 1}`),
      seed: o.seed * 10 + i,
      poolSize: o.pairsPerStage[i]!,
      onTargetFraction: 0.9,
      mismatchedFraction: 0.05,
      classes: stageClasses,
      shardSize: o.shardSize,
      evalPerClass: 1,
    });
    classes = [...classes, ...stageClasses];
    // replay r of the stage's pool: r/(1−r) old shards per new one, spread over older stages
    const replayCount = Math.min(
      old.length,
      Math.round((data.poolShards.length * o.replay) / (1 - o.replay)),
    );
    const step = old.length / Math.max(replayCount, 1);
    const replayed = Array.from({ length: replayCount }, (_, k) => old[Math.floor(k * step)]!);
    stages.push({
      classes,
      newShards: data.poolShards,
      shards: [...data.poolShards, ...replayed],
    });
    old.push(...data.poolShards);
  }
  const evalData = await generateSyntheticData({
    outDir: join(root, 'eval'),
    seed: o.seed * 10 + 9,
    poolSize: 1,
    onTargetFraction: 1,
    mismatchedFraction: 0,
    classes,
    evalPerClass: o.evalPerClass,
  });
  return { stages, evalDir: evalData.evalDir, allClasses: classes };
}
