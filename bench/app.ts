/**
 * The xborder side of the benchmark, as its own process: worker + API wired exactly as `npm start` wires them
 * (api/server.ts `startServices`), configured from the environment the bench sets (a free port, a fresh data
 * dir, the dev server's port, a task queue of its own). Sends `'ready'` over IPC once it answers; SIGTERM stops it.
 */
import { parseConfig } from '../config';
import { startServices } from '../api/server';

async function main(): Promise<void> {
  const config = parseConfig();
  const running = await startServices(config);
  process.send?.('ready');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void running
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('bench app: failed to start:', err);
  process.exit(1);
});
