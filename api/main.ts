/**
 * `npm run api`: the API role alone — HTTP on PORT against the configured Temporal, no worker, no workflow bundle.
 * Run any number of these beside `npm run worker` processes; /readyz says 503 while no worker polls the task queue.
 * SIGTERM or SIGINT: stop accepting, finish the requests in flight, close. Started by `npm start`
 * (scripts/start.ts) with an IPC channel: it says when it listens, and stops when its parent is gone.
 */
import { ConfigError, parseConfig } from '../config';
import { startApi, type Running } from './server';

async function main(): Promise<void> {
  const config = parseConfig();
  const started: { running?: Running } = {};
  let stopRequested: string | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    const { running } = started;
    if (!running) return void (stopRequested ??= signal); // still starting: stop once started
    if (stopping) return;
    stopping = true;
    console.log(`API: ${signal}, stopping…`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('xborder api: stop failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // under `npm start` the supervisor orders the stop: a terminal's Ctrl-C to the whole group is not ours
  const supervised = process.send !== undefined;
  process.on('SIGINT', () => (supervised ? undefined : stop('SIGINT')));
  process.once('disconnect', () => stop('parent gone'));

  started.running = await startApi(config).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(
        `port ${config.port} (API) is already in use: stop whatever holds it, or set PORT.`,
      );
    throw err;
  });
  console.log(
    `API listening on http://${config.host}:${config.port} (task queue ${config.taskQueue}), pid ${process.pid}`,
  );
  process.send?.({ role: 'api', state: 'listening' });
  if (stopRequested) stop(stopRequested);
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError
      ? `xborder api: ${err.message}`
      : `xborder api: failed to start: ${String(err)}`,
  );
  if (!(err instanceof ConfigError)) console.error(err);
  process.exit(1);
});
