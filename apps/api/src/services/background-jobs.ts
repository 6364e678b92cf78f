/** The Node API's background jobs (background.ts), as CURIO_BACKGROUND names them. */
export const BACKGROUND_JOBS = ['dispatch', 'reaper', 'schedules'] as const;
export type BackgroundJob = (typeof BACKGROUND_JOBS)[number];
