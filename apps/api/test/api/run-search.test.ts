// `GET /v1/runs?q=`: a run id prefix, or text within the experiment's name, the status, the device
// or the error; LIKE wildcards match literally; another team's runs and experiments never match.
import type { Run } from '@curio/contracts';
import { eq } from '@curio/db';
import { runs } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { bootstrapTeam, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

/** A team with two experiments, `cit-sweep` and `plain`, and a run of each. */
async function teamWithRuns(api: TestApi, team: string) {
  const { key } = await bootstrapTeam(api, team);
  const cat = await createCatalog(api, key);
  const config = { poolId: cat.poolId, metadataSetId: cat.metadataSetId, stop: { maxSteps: 5 } };
  const start = async (name: string) => {
    const experiment = await api.json('POST', '/v1/experiments', 201, {
      key,
      json: { name, config },
    });
    return (await api.json('POST', '/v1/runs', 201, {
      key,
      json: { experimentId: experiment.id },
    })) as Run;
  };
  return { key, cit: await start('cit-sweep'), plain: await start('plain') };
}

describe('run search', () => {
  pgTest('matches id prefix, experiment, status, error; only the team', async ({ db }) => {
    const api = await testApi(db);
    const mine = await teamWithRuns(api, 'Mine');
    const theirs = await teamWithRuns(api, 'Theirs');
    await api.json('POST', `/v1/runs/${mine.plain.id}/cancel`, 200, { key: mine.key });
    await db
      .update(runs)
      .set({ error: 'Out of memory on shard 3' })
      .where(eq(runs.id, mine.cit.id));
    await db.update(runs).set({ error: 'out of memory at 50%' }).where(eq(runs.id, theirs.cit.id));

    const search = async (q: string, key = mine.key) => {
      const page = await api.json('GET', `/v1/runs?q=${encodeURIComponent(q)}`, 200, { key });
      return (page.items as Run[]).map((r) => r.id).sort();
    };
    expect(await search('CIT-')).toEqual([mine.cit.id]);
    expect(await search('memory')).toEqual([mine.cit.id]);
    expect(await search('canceled')).toEqual([mine.plain.id]);
    expect(await search(mine.plain.id.slice(0, -3))).toEqual([mine.plain.id]);
    expect(await search(mine.plain.id.slice(3))).toEqual([]); // a prefix, not within
    expect(await search('queued')).toEqual([mine.cit.id]);
    expect(await search('  plain ')).toEqual([mine.plain.id]);
    // Wildcards are literal: only their run's error has a %.
    expect(await search('%')).toEqual([]);
    expect(await search('50%', theirs.key)).toEqual([theirs.cit.id]);
    // Another team's run by its id, and their error text: nothing.
    expect(await search(theirs.cit.id)).toEqual([]);
    expect(await search('at 50')).toEqual([]);
    expect(await search(mine.cit.id, theirs.key)).toEqual([]);
    // With the filters, and paged.
    const both = await api.json('GET', '/v1/runs?q=run_&status=queued&limit=5', 200, {
      key: mine.key,
    });
    expect(both.items.map((r: Run) => r.id)).toEqual([mine.cit.id]);

    const empty = await api.call('GET', '/v1/runs?q=%20', { key: mine.key });
    expect(empty.status).toBe(400);
    const long = await api.call('GET', `/v1/runs?q=${'x'.repeat(201)}`, { key: mine.key });
    expect(long.status).toBe(400);
  });
});
