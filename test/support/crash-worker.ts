/**
 * A worker process for the crash test (test/api/crash.test.ts): the real worker, which announces its activities on
 * stdout (`begin <name> <transferId>`, `end <name> <transferId>`) so the test can SIGKILL it at chosen moments, and
 * lets each committed evidence write linger a little (0–150 ms, from a seeded generator) before reporting, which
 * widens the window between the write and its marker in the history. It waits, loaded, for `go` on stdin before it
 * polls (the test keeps one standby so a killed worker is replaced at once).
 * Args: <temporal address> <task queue> <data dir> <workflow bundle> <encryption keys> <seed>
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { dataConverterFor, loadKeyRing } from '../../activities/crypto';
import { openStore } from '../../store';
import { createWorker } from '../../worker';

/** mulberry32: a small seeded generator, the same sequence for the same seed */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const [address, taskQueue, dir, bundle, keys, seed] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const random = generator(Number(seed));
  const keyRing = loadKeyRing(dir, keys);
  // the stack's data: its dir, or its PostgreSQL database (test/helpers.ts dataEnv)
  const store = await openStore({ dataDir: dir, databaseUrl: process.env.XBORDER_DATABASE_URL, keyRing });
  const connection = await NativeConnection.connect({ address });
  const client = new Client({
    connection: await Connection.connect({ address }),
    namespace: 'default',
    dataConverter: dataConverterFor(keyRing),
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const transferOf = (input: unknown): string => {
    const i = input as { transferId?: string; facts?: { transferId: string } };
    return i.transferId ?? i.facts?.transferId ?? '-';
  };
  function announced<I, O>(name: string, fn: (input: I) => Promise<O>, linger = false) {
    return async (input: I): Promise<O> => {
      const id = transferOf(input);
      say(`begin ${name} ${id}`);
      const out = await fn(input);
      say(`end ${name} ${id}`);
      if (linger) await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
      return out;
    };
  }
  const worker = await createWorker({
    connection,
    client,
    namespace: 'default',
    taskQueue,
    store,
    keyRing,
    workflowBundle: { codePath: bundle },
    wrapActivities: (a) => ({
      ...a,
      recordEvidence: announced(
        'recordEvidence',
        (i: Parameters<typeof a.recordEvidence>[0]) => a.recordEvidence(i),
        true,
      ),
      renderAgreement: announced('renderAgreement', (i: Parameters<typeof a.renderAgreement>[0]) =>
        a.renderAgreement(i),
      ),
      issueFilingNumber: announced('issueFilingNumber', (i: Parameters<typeof a.issueFilingNumber>[0]) =>
        a.issueFilingNumber(i),
      ),
      scoreRisk: announced('scoreRisk', (i: Parameters<typeof a.scoreRisk>[0]) => a.scoreRisk(i)),
    }),
  });
  // a standby: loaded and connected, it polls only once told to (`go` on stdin), so a restart takes no time
  say('loaded');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes('go\n')) resolve();
    });
  });
  const running = worker.run();
  say('polling');
  await running;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
