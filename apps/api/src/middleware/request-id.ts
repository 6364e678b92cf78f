// Every request gets an id (the caller's X-Request-Id when it is sane, else a new UUID), echoed in
// the X-Request-Id response header and in every problem document.
import type { MiddlewareHandler } from 'hono';
import { requestId as honoRequestId } from 'hono/request-id';

export function requestId(): MiddlewareHandler {
  return honoRequestId({ headerName: 'X-Request-Id' });
}
