/**
 * Heap limit of a worker process, in MB. V8 grows a heap toward its limit before it collects
 * much: at 2048 a worker sat near 580 MB RSS with ~25 MB live; at 1024 it stays near 240-250 MB
 * (measured by `npm run bench`). A file that needs more is an error record.
 */
export const DEFAULT_WORKER_MEMORY_MB = 1024;
