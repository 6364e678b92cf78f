// `@curio/db/zod`: drizzle-zod row schemas (`RunRow`, `PoolShardInsert`, …).
export * from '@curio/schema/zod';
