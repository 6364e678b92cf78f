// Pools: the list, a create form, and a pool's page with its shards, its growth over time and
// an append form.
import type { Pool, PoolShard, PoolWithShards } from '@curio/contracts';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/http.js';
import { useAll, useApi, useInvalidate } from '../api/queries.js';
import { LineChart } from '../charts/line-chart.js';
import { useCanWrite } from '../session/session.js';
import { formatNumber, formatTime } from '../ui/format.js';
import { lines } from '../ui/lines.js';
import { ErrorBox, Loading, PageHeader, TextField } from '../ui/parts.js';
import { TextArea } from '../ui/text-area.js';
import { DataTable, QueryTable } from '../ui/data-table.js';
import { FormCard } from '../ui/form-card.js';
import { useSubmit } from '../ui/use-submit.js';

const SHARD_HINT = 'One per line: a .tar file, a folder of *.tar, a glob, or an http(s) URL.';

export function PoolsPage() {
  const pools = useAll<Pool>('/v1/pools');
  const canWrite = useCanWrite();
  return (
    <section>
      <PageHeader title="Pools" />
      <QueryTable
        query={pools}
        what="pools"
        caption="Pools"
        empty="No pools yet."
        columns={['Name', 'Shards', 'Samples', 'Created']}
        row={(p) => (
          <>
            <td>
              <Link to={`/pools/${p.id}`}>{p.name}</Link>
            </td>
            <td>{formatNumber(p.shardCount)}</td>
            <td>{formatNumber(p.sampleCount)}</td>
            <td>{formatTime(p.createdAt)}</td>
          </>
        )}
      />
      {canWrite && <CreatePool />}
    </section>
  );
}

function CreatePool() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [shards, setShards] = useState('');
  const invalidate = useInvalidate();
  const navigate = useNavigate();
  const s = useSubmit(async () => {
    const pool = await api.post<PoolWithShards>('/v1/pools', {
      name,
      description: description || undefined,
      shards: lines(shards),
    });
    await invalidate('/v1/pools');
    navigate(`/pools/${pool.id}`);
  });
  return (
    <FormCard title="New pool" submit={s} submitLabel="Create pool" busyLabel="Counting shards…">
      <TextField label="Pool name" required value={name} onChange={setName} error={s.fields.name} />
      <TextField
        label="Description"
        value={description}
        onChange={setDescription}
        error={s.fields.description}
      />
      <TextArea
        label="Shards"
        required
        hint={SHARD_HINT}
        value={shards}
        onChange={setShards}
        error={s.fields.shards ?? s.fields['shards.0']}
      />
    </FormCard>
  );
}

export function PoolPage() {
  const { id = '' } = useParams();
  const pool = useApi<Pool>(`/v1/pools/${encodeURIComponent(id)}`);
  const shards = useAll<PoolShard>(`/v1/pools/${encodeURIComponent(id)}/shards`);
  const canWrite = useCanWrite();
  if (pool.error) return <ErrorBox error={pool.error} />;
  if (!pool.data) return <Loading what="the pool" />;
  const list = shards.data ?? [];
  let total = 0;
  const growth = list.map((s) => (total += s.sampleCount));
  const t0 = list.length ? Date.parse(list[0]!.addedAt) : 0;
  return (
    <section>
      <PageHeader title={`Pool ${pool.data.name}`} />
      {pool.data.description && <p>{pool.data.description}</p>}
      <p>
        {formatNumber(pool.data.shardCount)} shards, {formatNumber(pool.data.sampleCount)} samples.
      </p>
      {list.length > 0 && (
        <LineChart
          title="Samples in the pool over time"
          xLabel="hours since the first shard"
          points
          series={[
            {
              label: 'samples',
              xs: list.map((s) => (Date.parse(s.addedAt) - t0) / 3.6e6),
              ys: growth,
            },
          ]}
        />
      )}
      {canWrite && <AppendShards poolId={pool.data.id} />}
      <DataTable
        caption="Shards, in the order they were added"
        showCaption
        columns={['Location', 'Samples', 'Added']}
        items={list}
        row={(s) => (
          <>
            <td className="mono">{s.uri}</td>
            <td>{formatNumber(s.sampleCount)}</td>
            <td>{formatTime(s.addedAt)}</td>
          </>
        )}
      />
    </section>
  );
}

function AppendShards({ poolId }: { poolId: string }) {
  const [shards, setShards] = useState('');
  const invalidate = useInvalidate();
  const s = useSubmit(async () => {
    await api.post(`/v1/pools/${poolId}/shards`, { shards: lines(shards) });
    setShards('');
    await invalidate(`/v1/pools`);
  });
  return (
    <FormCard title="Append shards" submit={s} submitLabel="Append">
      <TextArea
        label="New shards"
        required
        hint={SHARD_HINT}
        value={shards}
        onChange={setShards}
        error={s.fields.shards}
      />
    </FormCard>
  );
}
