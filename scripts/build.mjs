// `npm run build` (and `prepare`): compiles src/ to dist/ with tsc, copies the plain-JS entries (*.mjs) beside the
// compiled modules, and stamps the build so that bin/xxgk.mjs can tell a dist/ older than the sources.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url);
const started = Date.now();
rmSync(new URL('dist', root), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
cpSync(new URL('src', root), new URL('dist', root), { recursive: true, filter: (f) => !/\.[cm]?ts$/.test(f) || f.endsWith('.d.mts') });
mkdirSync(new URL('dist', root), { recursive: true });
writeFileSync(new URL('dist/.built', root), `${started}\n`);
