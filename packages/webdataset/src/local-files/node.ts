// The local filesystem, where there is one (Node): the few fs calls Curio makes and tinyglobby's
// globs, re-exported so that code reading local paths imports them from one place. At the edge
// (the `workerd` export condition) `absent.ts` stands in with the same names.
export { createReadStream, createWriteStream } from 'node:fs';
export { link, mkdir, open, readFile, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
export { glob, isDynamicPattern } from 'tinyglobby';
