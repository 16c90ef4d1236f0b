import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes a whole file or nothing: a run killed mid-write leaves the previous version in place, never half of
 * the new one (temp file in the same directory, then rename, which is atomic on one file system).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array) {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
