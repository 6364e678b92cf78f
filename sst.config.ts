// The cloud deployment (SST on Cloudflare): the API as a Worker with Hyperdrive in front of the
// managed PostgreSQL, an R2 bucket for shards, checkpoints and evaluation artifacts, a cron tick
// for the reaper and schedules, the dashboard as the Worker's static assets, and the secrets. The
// Node dispatcher that starts Modal sandboxes runs off Cloudflare; the deploy prints its
// environment (infra/README.md). `npx sst@4 deploy --stage production`; see infra/README.md. The `sst` package is not
// a dependency: infra/sst-platform.d.ts declares the part of its API used here.

export default $config({
  app(input) {
    return {
      name: 'curio',
      home: 'cloudflare',
      removal: input.stage === 'production' ? 'retain' : 'remove',
    };
  },
  async run() {
    const plan = await import('./infra/src/plan.js');
    const { readDeploySettings } = await import('./infra/src/env.js');
    const settings = readDeploySettings();

    type SecretName = keyof typeof plan.SECRETS;
    const names = Object.keys(plan.SECRETS) as SecretName[];
    const secrets = Object.fromEntries(names.map((name) => [name, new sst.Secret(name)])) as Record<
      SecretName,
      sst.Secret
    >;

    const bucket = new sst.cloudflare.Bucket('Blobs');
    const database = new cloudflare.HyperdriveConfig('Database', {
      accountId: settings.accountId,
      name: `curio-${$app.stage}`,
      origin: secrets.DatabaseUrl.value.apply(plan.hyperdriveOrigin),
    });

    const bindings = $resolve([database.id, ...names.map((n) => secrets[n].value)] as const).apply(
      ([hyperdriveId, ...values]) =>
        plan.workerBindings(
          hyperdriveId,
          Object.fromEntries(names.map((n, i) => [n, values[i] as string])) as Record<
            SecretName,
            string
          >,
        ),
    );
    const worker: sst.cloudflare.WorkerArgs = {
      handler: plan.EDGE_HANDLER,
      link: [bucket],
      environment: plan.workerEnvironment(settings, bucket.name),
      transform: {
        worker: (args) => {
          args.bindings = $resolve([args.bindings ?? [], bindings] as const).apply(
            ([own, ours]) => [...own, ...ours],
          );
        },
      },
    };

    const api = new sst.cloudflare.Worker('Api', {
      ...worker,
      ...(settings.domain ? { domain: settings.domain } : { url: true }),
      assets: { directory: plan.WEB_DIST },
    });
    new sst.cloudflare.Cron('Tick', { worker, schedules: [plan.TICK_SCHEDULE] });

    return {
      url: api.url,
      bucket: bucket.name,
      dispatcherEnvironment: plan.dispatcherEnvironment(settings),
      dispatcherSecrets: plan.DISPATCHER_SECRETS.map((n) => plan.SECRETS[n]),
    };
  },
});
