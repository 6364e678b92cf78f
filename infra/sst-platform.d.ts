// Ambient declarations for the small part of SST's platform API that ../sst.config.ts uses, so
// the config typechecks without the `sst` package (which `sst deploy` brings, with its own
// generated .sst/platform/config.d.ts). They mirror SST 4.x as documented on sst.dev (Worker,
// Cron, Bucket, Secret, the $config/$resolve globals; read 2026-11-30, `npm view sst version`
// 4.17.1) and @pulumi/cloudflare 6.x (HyperdriveConfig, the WorkersScript `bindings` list;
// `npm view @pulumi/cloudflare version` 6.22.1). Only what the config calls is declared: a
// property SST lacks would be a deploy-time error that this file cannot catch.

interface Output<T> {
  apply<U>(fn: (value: T) => U | Output<U>): Output<U>;
}
type Input<T> = T | Output<T>;

declare function $config(input: {
  app(input: { stage: string }): {
    name: string;
    home: 'cloudflare' | 'aws';
    removal?: 'remove' | 'retain';
    providers?: Record<string, unknown>;
  };
  run(): Promise<Record<string, unknown> | void>;
}): unknown;

type Unwrapped<X> = X extends Output<infer U> ? U : X;
declare function $resolve<T extends readonly unknown[]>(
  values: T,
): Output<{ [K in keyof T]: Unwrapped<T[K]> }>;

declare const $app: { name: string; stage: string };

interface CloudflareWorkerBinding {
  name: string;
  type: 'hyperdrive' | 'secret_text' | 'plain_text' | 'r2_bucket';
  id?: string;
  text?: string;
  bucketName?: string;
}

declare namespace sst {
  class Secret {
    constructor(name: string, placeholder?: string);
    readonly name: string;
    readonly value: Output<string>;
  }

  namespace cloudflare {
    interface WorkerArgs {
      handler: string;
      url?: boolean;
      domain?: string;
      link?: unknown[];
      environment?: Record<string, Input<string>>;
      assets?: { directory: string };
      build?: { esbuild?: Record<string, unknown> };
      transform?: {
        worker?: (args: { bindings?: Input<CloudflareWorkerBinding[]> }) => void;
      };
    }
    class Worker {
      constructor(name: string, args: WorkerArgs);
      readonly url: Output<string | undefined>;
    }
    class Cron {
      constructor(name: string, args: { worker: Input<string | WorkerArgs>; schedules: string[] });
    }
    class Bucket {
      constructor(name: string);
      readonly name: Output<string>;
    }
  }
}

declare namespace cloudflare {
  interface HyperdriveOrigin {
    scheme: 'postgres' | 'postgresql';
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
  }
  class HyperdriveConfig {
    constructor(
      name: string,
      args: { accountId: Input<string>; name: Input<string>; origin: Input<HyperdriveOrigin> },
    );
    readonly id: Output<string>;
  }
}
