// The growth space (METHODS.md §3, sizes ours): the candidate children of a parent architecture.
// Each operator comes in sizes 1..scale, where the scale grows with the amount of new data; the
// children over the budget are left out. Children are configs only: ./inherit.ts gives them
// weights.
import type { GrowthSpec, GrowthOperator } from '@curio/contracts';
import {
  attentionWidth,
  forwardGflops,
  ModelConfig,
  parameterCount,
  towerForwardGflops,
  type Tower,
  type TowerFlops,
} from '../model/index.js';

export interface GrowthChild {
  /** e.g. `image+1block`, `text-mlp×1.5`, `shared+1block`. */
  name: string;
  operator: GrowthOperator;
  config: ModelConfig;
  gflopsPerSample: number;
  forwardGflops: TowerFlops;
  params: number;
}

/** The candidate-space scale: min(maxScale, 1 + ⌊newSamples / samplesPerScale⌋). */
export function growthScale(space: GrowthSpec['space'], newSamples: number): number {
  return Math.min(space.maxScale, 1 + Math.floor(newSamples / space.samplesPerScale));
}

type Blocks = ModelConfig['image'] | ModelConfig['text'];
type Draft = { name: string; operator: GrowthOperator; config: unknown };

/** Keep the attention width when the width changes: the head size becomes explicit. */
const withHeadDim = <B extends Blocks>(b: B): B => ({ ...b, headDim: attentionWidth(b) / b.heads });

/** Each allowed operator's size-j change to one tower's blocks (label and new blocks). */
function towerChanges(g: GrowthSpec, j: number, shared: boolean) {
  const f = g.space.widenFactor ** j;
  const out: { operator: GrowthOperator; label: string; grow: (b: Blocks) => Blocks }[] = [];
  if (g.operators.includes('addBlocks')) {
    const k = g.space.blocks * j;
    out.push({
      operator: 'addBlocks',
      label: `+${k}block`,
      grow: (b) => ({ ...b, depth: b.depth + k }),
    });
  }
  if (g.operators.includes('widen')) {
    const mlp = (b: Blocks) => ({ ...b, mlpRatio: Math.round(b.width * b.mlpRatio * f) / b.width });
    out.push({ operator: 'widen', label: `-mlp×${round(f)}`, grow: mlp });
    // The residual width: not with shared blocks, whose width is both towers'.
    if (!shared) {
      const width = (b: Blocks) => ({
        ...withHeadDim(b),
        width: Math.round((b.width * f) / 8) * 8,
      });
      out.push({ operator: 'widen', label: `-width×${round(f)}`, grow: width });
    }
  }
  if (g.operators.includes('addHeads')) {
    const k = g.space.heads * j;
    out.push({
      operator: 'addHeads',
      label: `+${k}head`,
      grow: (b) => ({ ...withHeadDim(b), heads: b.heads + k }),
    });
  }
  return out;
}

function towerDrafts(
  parent: ModelConfig,
  g: GrowthSpec,
  tower: GrowthSpec['towers'][number],
  j: number,
): Draft[] {
  const grown: Tower[] = tower === 'both' ? ['image', 'text'] : [tower];
  return towerChanges(g, j, parent.shared !== undefined).map((c) => {
    const towers = Object.fromEntries(grown.map((t) => [t, c.grow(parent[t])]));
    return {
      name: `${tower}${c.label}`,
      operator: c.operator,
      config: { ...parent, name: `${parent.name}/${tower}${c.label}`, ...towers },
    };
  });
}

function sharedDraft(parent: ModelConfig, g: GrowthSpec, j: number): Draft[] {
  const { image, text } = parent;
  if (!g.operators.includes('addSharedBlocks') || image.width !== text.width) return [];
  const k = g.space.blocks * j;
  const shared = parent.shared
    ? { ...parent.shared, depth: parent.shared.depth + k }
    : {
        depth: k,
        heads: image.heads,
        headDim: attentionWidth(image) / image.heads,
        mlpRatio: image.mlpRatio,
      };
  const label = `shared+${k}block`;
  return [
    {
      name: label,
      operator: 'addSharedBlocks',
      config: { ...parent, name: `${parent.name}/${label}`, shared },
    },
  ];
}

const round = (x: number) => Number(x.toFixed(3));

/** The children of `parent` that `growth` allows at this scale, within its budget. */
export function growthChildren(parent: ModelConfig, g: GrowthSpec, scale: number): GrowthChild[] {
  const drafts: Draft[] = [];
  for (let j = 1; j <= scale; j++) {
    for (const tower of g.towers) drafts.push(...towerDrafts(parent, g, tower, j));
    drafts.push(...sharedDraft(parent, g, j));
  }
  const { maxGflopsPerSample, maxParams } = g.budget;
  const children: GrowthChild[] = [];
  for (const d of drafts) {
    const parsed = ModelConfig.safeParse(d.config);
    if (!parsed.success) continue; // e.g. a width the heads no longer divide
    const config = parsed.data;
    const child = {
      name: d.name,
      operator: d.operator,
      config,
      gflopsPerSample: forwardGflops(config),
      forwardGflops: towerForwardGflops(config),
      params: parameterCount(config),
    };
    if (maxGflopsPerSample !== undefined && child.gflopsPerSample > maxGflopsPerSample) continue;
    if (maxParams !== undefined && child.params > maxParams) continue;
    children.push(child);
  }
  return children;
}
