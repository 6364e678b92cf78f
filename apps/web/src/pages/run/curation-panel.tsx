// Per curation round: scanned, kept, kept ratio, deciding scorer, whether γ fired, on-target
// share; for the chosen round its score histogram and samples of kept and rejected captions, each
// with its image where the pool has it (a caption whose image cannot be served stands alone).
import type { RunEvent } from '@curio/contracts';
import { useState } from 'react';
import { useAll } from '../../api/queries.js';
import {
  mainScorer,
  mergeRounds,
  roundSamples,
  sampleImageUrl,
  type CurationRound,
  type RoundSample,
} from '../../runs/curation.js';
import { DataTable } from '../../ui/data-table.js';
import { formatNumber, formatPercent } from '../../ui/format.js';

export function CurationPanel(props: { runId: string; events: readonly RunEvent[] }) {
  const stored = useAll<unknown>(`/v1/runs/${encodeURIComponent(props.runId)}/curation`);
  const rounds = mergeRounds(stored.data ?? [], props.events);
  const [chosen, setChosen] = useState<number | null>(null);
  const round = rounds.find((r) => r.round === chosen) ?? rounds.at(-1);
  return (
    <section id="curation" aria-labelledby="curation-h" className="card">
      <h2 id="curation-h">Curation</h2>
      {rounds.length === 0 ? (
        <p>No curation rounds yet.</p>
      ) : (
        <>
          <DataTable
            caption="Curation rounds"
            columns={[
              'Round',
              'Step',
              'Scanned',
              'Kept',
              'Ratio',
              'Scorer',
              'γ fired',
              'On-target',
            ]}
            items={rounds}
            rowKey={(r) => r.round}
            current={round}
            row={(r) => (
              <>
                <td>
                  <button type="button" className="link" onClick={() => setChosen(r.round)}>
                    Round {r.round}
                  </button>
                </td>
                <td>{r.step}</td>
                <td>{formatNumber(r.scanned)}</td>
                <td>{formatNumber(r.kept)}</td>
                <td>{formatPercent(r.ratio)}</td>
                <td>{mainScorer(r)}</td>
                <td>{r.gammaFired ? 'yes' : 'no'}</td>
                <td>{r.keptOnTarget === undefined ? '—' : formatPercent(r.keptOnTarget)}</td>
              </>
            )}
          />
          {round && <RoundDetail runId={props.runId} round={round} />}
        </>
      )}
    </section>
  );
}

function RoundDetail({ runId, round }: { runId: string; round: CurationRound }) {
  return (
    <div className="round-detail" aria-live="polite">
      <h3>Round {round.round}</h3>
      {round.histogram && <Histogram bins={round.histogram} />}
      <div className="captions">
        <CaptionList runId={runId} title="Kept captions" samples={roundSamples(round, 'kept')} />
        <CaptionList
          runId={runId}
          title="Rejected captions"
          samples={roundSamples(round, 'rejected')}
        />
      </div>
    </div>
  );
}

/** Bars of the round's scores over [-1, 1], one per bin, with their counts as text. */
function Histogram({ bins }: { bins: number[] }) {
  const max = Math.max(1, ...bins);
  const width = 2 / bins.length;
  return (
    <figure className="histogram">
      <figcaption>Score histogram (max cosine to the metadata, −1 to 1)</figcaption>
      <ol>
        {bins.map((n, i) => {
          const from = -1 + i * width;
          return (
            <li key={i} title={`${from.toFixed(1)} to ${(from + width).toFixed(1)}: ${n}`}>
              <span className="bar" style={{ height: `${(100 * n) / max}%` }} />
              <span className="sr-only">
                {from.toFixed(1)} to {(from + width).toFixed(1)}: {n}
              </span>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

function CaptionList(props: { runId: string; title: string; samples: RoundSample[] }) {
  return (
    <div>
      <h4>{props.title}</h4>
      {props.samples.length === 0 ? (
        <p>None sampled.</p>
      ) : (
        <ul className="caption-list">
          {props.samples.map((s, i) => (
            <li key={i}>
              <SampleImage runId={props.runId} sample={s} />
              <span>{s.caption}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The sample's thumbnail, or nothing when the round names no image or the API serves none. */
function SampleImage({ runId, sample }: { runId: string; sample: RoundSample }) {
  const [failed, setFailed] = useState(false);
  const { shard, key } = sample;
  if (failed || shard === undefined || key === undefined) return null;
  return (
    <img
      className="sample-image"
      src={sampleImageUrl(runId, { caption: sample.caption, shard, key })}
      alt={`Pool image of sample ${key}`}
      loading="lazy"
      width={64}
      height={64}
      onError={() => setFailed(true)}
    />
  );
}
