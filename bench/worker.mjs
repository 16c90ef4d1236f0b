// Worker entry for the benchmark's batch: installs tsx's loader (as src/batch/worker.mjs does), then the task.
import { register } from 'tsx/esm/api';
register();
await import('./worker-task.ts');
