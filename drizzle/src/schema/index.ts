// The whole schema: drizzle-kit reads this file, and `createDb` passes it to drizzle.
export * from './enums';
export * from './teams';
export * from './accounts';
export * from './sessions';
export * from './catalog';
export * from './experiments';
export * from './runs';
export * from './results';
export * from './metric-cells';
export * from './schedules';
export * from './data-grants';
