export { pgTest, type PgFixtures } from './fixture';
export {
  createTestDb,
  testBackend,
  type TestBackend,
  type TestDb,
  type TestDbOptions,
} from './database';
export { seedExperiment, seedTeam, tinyExperimentConfig, tinyRunSpecInput } from './seed';
export { writePoolShard, writeEvalSet } from './data-files.js';
