// The one answer for a data location a team may not read: missing, outside its grants, a symlink
// out of a grant, a refused or unreachable address all read the same, naming only the location as
// the team wrote it. Why it was refused stays in `reason`, for the operator's log only.
export class LocationUnavailableError extends Error {
  override readonly name = 'LocationUnavailableError';
  constructor(
    /** The location as the team wrote it. */
    readonly location: string,
    /** Why (operator's eyes only: it may name files the team was not granted). */
    readonly reason: string,
  ) {
    super(`data location ${location} does not exist or is not granted to this team`);
  }
}

export function isLocationUnavailable(error: unknown): error is LocationUnavailableError {
  return error instanceof LocationUnavailableError;
}
