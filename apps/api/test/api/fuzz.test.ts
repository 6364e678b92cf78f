// Property-based fuzzing of the whole API: malformed requests for every operation of
// /v1/openapi.json (team routes with a team key, worker routes with the real worker token of a
// real run), built by fast-check from a recorded seed. Not one may answer 5xx; every request that
// must be refused gets a 4xx problem+json; and nothing stored changes (every row of every table
// and every blob file compared before and after). Replay a run with CURIO_FUZZ_SEED=<seed>;
// CURIO_FUZZ_REQUESTS sets how many (default 2,100).
import { pgTest } from '@curio/testing';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { testApi } from '../support/api.js';
import { operationsOf, type OpenApiDoc } from '../support/fuzz/openapi.js';
import { requestsFor, type FuzzRequest } from '../support/fuzz/requests.js';
import { REQUEST_RECORDS, rowCounts, snapshotStore } from '../support/fuzz/snapshot.js';
import { buildWorld } from '../support/fuzz/world.js';

const SEED = Number(process.env.CURIO_FUZZ_SEED ?? Date.now() % 2 ** 31);
const REQUESTS = Number(process.env.CURIO_FUZZ_REQUESTS ?? 2_100);

interface Finding {
  request: FuzzRequest;
  status: number;
  body: string;
}

describe('fuzz', () => {
  pgTest(
    `${REQUESTS} malformed requests: no 5xx, every refusal a 4xx problem, nothing stored changes (seed ${SEED})`,
    { timeout: 120_000 },
    async ({ db }) => {
      console.log(`fuzz seed ${SEED} (replay: CURIO_FUZZ_SEED=${SEED})`);
      const logged: string[] = [];
      const api = await testApi(db, {
        timing: { streamPollMs: 10 },
        limits: { authFailures: 1_000_000 },
        log: (m) => logged.push(m),
      });
      const world = await buildWorld(api);
      const doc = (await api.json('GET', '/v1/openapi.json', 200)) as OpenApiDoc;
      const operations = operationsOf(doc);
      expect(operations.length).toBeGreaterThan(40);

      const perOperation = Math.ceil(REQUESTS / operations.length);
      const requests = operations.flatMap((op, i) =>
        fc.sample(requestsFor(doc, op, world), { seed: SEED + i, numRuns: perOperation }),
      );
      const before = await snapshotStore(db, api.ctx.blobRoot);

      const serverErrors: Finding[] = [];
      const wronglyAccepted: Finding[] = [];
      const notProblems: Finding[] = [];
      const statuses: Record<number, number> = {};
      const problems: Record<string, number> = {};
      for (const request of requests) {
        const res = await api.app.request(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined && { body: request.body }),
        });
        const streaming = res.headers.get('content-type')?.includes('text/event-stream');
        if (streaming) await res.body?.cancel(); // a live stream: its status says enough
        const body = streaming ? '(a live stream)' : await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const problemType = /"type":"https:\/\/curio\.dev\/problems\/([\w-]+)"/.exec(body)?.[1];
        if (problemType) problems[problemType] = (problems[problemType] ?? 0) + 1;
        const finding = { request, status: res.status, body: body.slice(0, 300) };
        if (res.status >= 500) serverErrors.push(finding);
        else if (request.fatal.length > 0 && res.status < 400) wronglyAccepted.push(finding);
        else if (res.status >= 400 && !res.headers.get('content-type')?.includes('problem+json'))
          notProblems.push(finding);
      }
      const after = await snapshotStore(db, api.ctx.blobRoot);

      const refused = requests.filter((r) => r.fatal.length > 0).length;
      console.log(
        JSON.stringify({
          seed: SEED,
          requests: requests.length,
          operations: operations.length,
          mustBeRefused: refused,
          statuses,
          problems,
          serverErrors: serverErrors.length,
          tables: rowCounts(before),
          excludedColumns: REQUEST_RECORDS,
        }),
      );
      const show = (list: Finding[]) =>
        list
          .slice(0, 10)
          .map(
            (f) =>
              `${f.status} ${f.request.method} ${f.request.url.slice(0, 120)} [${f.request.breaks.join(' ')}] → ${f.body}`,
          );
      expect(requests.length).toBeGreaterThanOrEqual(2_000);
      expect(show(serverErrors), `seed ${SEED}: 5xx answers`).toEqual([]);
      expect(show(wronglyAccepted), `seed ${SEED}: accepted though malformed`).toEqual([]);
      expect(show(notProblems), `seed ${SEED}: 4xx without problem+json`).toEqual([]);
      expect(
        logged.filter((m) => /failed:/.test(m)),
        `seed ${SEED}: errors logged`,
      ).toEqual([]);
      expect(after.files, `seed ${SEED}: blob files`).toEqual(before.files);
      for (const table of Object.keys(before.rows))
        expect(after.rows[table], `seed ${SEED}: rows of ${table}`).toEqual(before.rows[table]);
      expect(Object.keys(after.rows)).toEqual(Object.keys(before.rows));
    },
  );
});
