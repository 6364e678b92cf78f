// `@curio/db/schema`: the tables, enums, ids and row types from `drizzle/` (`@curio/schema`).
export * from '@curio/schema';
