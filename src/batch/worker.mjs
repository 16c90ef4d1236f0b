// Worker thread entry: workers start without the parent's loader hooks, so this plain-JS file installs tsx's
// loader before importing the TypeScript task module (the same way bin/xxgk.mjs starts the CLI).
import { register } from 'tsx/esm/api';
register();
await import('./worker-task.ts');
