import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ServeError, startServer } from './serve/server.js';

/** `xxgk serve RESULTS`: the review app for a results folder, in the browser. */
export function registerServe(program: Command) {
  program
    .command('serve')
    .description('Review a results folder in the browser: findings to confirm or dismiss, cells to correct, lists to send out (本地审核界面)')
    .argument('<results>', 'a folder written by xxgk batch --out')
    .option('-p, --port <n>', 'port (0 = any free one)', '8020')
    .option('--host <address>', 'address to listen on; anything but loopback needs --token', '127.0.0.1')
    .option('--token <secret>', 'access token (at least 16 letters or digits), required off loopback')
    .option('--sources <paths...>', 'where the batch inputs are now, if they moved (the folders or zips given to batch)')
    .action(async (results: string, o) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${o.port}`);
      try {
        const running = await startServer({ results, host: o.host, port, token: o.token, sources: o.sources });
        // Listening on every interface: the address to give others is the machine's name, not 0.0.0.0.
        const base = o.host === '0.0.0.0' || o.host === '::' ? running.url.replace(/\/\/[^/]+:/, `//${hostname()}:`) : running.url;
        const url = o.token ? `${base}?token=${o.token}` : base;
        console.log(`xxgk serve: 审核界面已启动 ${url}  (Ctrl-C 停止)`);
        const stop = () => void running.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        if (!(err instanceof ServeError) && (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
        console.error(`xxgk serve: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    });
}
