/**
 * After a crash, `npm start` stops the Temporal dev server its data folder's record names — only when the record
 * still describes that very process (pid, start time, command line on this folder's database) and its owner is
 * gone. A record whose pid now belongs to another process never gets it signalled. (The real leftover server, after
 * a SIGKILL of the whole group, is in test/e2e/stack.test.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortInUseError, reclaimLeftover, type DevServerRecord } from '../../scripts/dev-server';
import { identify } from '../../scripts/processes';

let dir: string;
let recordFile: string;
let dbFile: string;
const children: ChildProcess[] = [];
const lines: string[] = [];
const log = (line: string) => lines.push(line);

/** a process standing in for a dev server: `sleep`, or a node whose command line names start-dev and a db file */
function startProcess(args: string[] = []): Promise<ChildProcess> {
  const child =
    args.length === 0
      ? spawn('sleep', ['300'], { stdio: 'ignore' })
      : spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)', ...args], { stdio: 'ignore' });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('spawn', () => {
      // wait until /proc shows the command line of the new program (after exec)
      const check = () => {
        const id = identify(child.pid!);
        if (id && id.cmdline.at(-1) === (args.at(-1) ?? '300')) resolve(child);
        else setTimeout(check, 20);
      };
      check();
    });
    child.once('error', reject);
  });
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function write(record: DevServerRecord): void {
  writeFileSync(recordFile, JSON.stringify(record));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xborder-leftover-'));
  recordFile = join(dir, 'temporal-dev.json');
  dbFile = join(dir, 'temporal.sqlite');
  lines.length = 0;
});
afterEach(() => {
  for (const c of children.splice(0)) if (alive(c)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('a record whose pid now runs another program: the record is dropped, the process untouched', async () => {
  const foreign = await startProcess();
  const gone = identify(process.pid)!; // stands for the crashed owner: any identity that is not a live owner
  write({
    server: {
      ...identify(foreign.pid!)!,
      cmdline: ['temporal', 'server', 'start-dev', '--db-filename', dbFile],
    },
    owner: { ...gone, startTime: '1' },
    dbFile,
    port: 1,
    uiPort: null,
  });
  await reclaimLeftover(recordFile, dbFile, log);
  await new Promise((r) => setTimeout(r, 300));
  expect(alive(foreign)).toBe(true);
  expect(existsSync(recordFile)).toBe(false);
  expect(lines).toEqual([]);
});

test('a record of the same program started at another time (a reused pid): untouched', async () => {
  const server = await startProcess(['start-dev', '--db-filename', dbFile]);
  const id = identify(server.pid!)!;
  write({
    server: { ...id, startTime: String(Number(id.startTime) - 1) },
    owner: { ...identify(process.pid)!, startTime: '1' },
    dbFile,
    port: 1,
    uiPort: null,
  });
  await reclaimLeftover(recordFile, dbFile, log);
  await new Promise((r) => setTimeout(r, 300));
  expect(alive(server)).toBe(true);
  expect(existsSync(recordFile)).toBe(false);
});

test("a dev server of another data folder's database: untouched", async () => {
  const other = join(dir, 'elsewhere.sqlite');
  const server = await startProcess(['start-dev', '--db-filename', other]);
  write({
    server: identify(server.pid!)!,
    owner: { ...identify(process.pid)!, startTime: '1' },
    dbFile: other,
    port: 1,
    uiPort: null,
  });
  await reclaimLeftover(recordFile, dbFile, log);
  await new Promise((r) => setTimeout(r, 300));
  expect(alive(server)).toBe(true);
});

test('its owner still runs: another npm start uses the folder, refused and nothing stopped', async () => {
  const server = await startProcess(['start-dev', '--db-filename', dbFile]);
  const owner = await startProcess();
  write({ server: identify(server.pid!)!, owner: identify(owner.pid!)!, dbFile, port: 1, uiPort: null });
  await expect(reclaimLeftover(recordFile, dbFile, log)).rejects.toThrow(PortInUseError);
  await expect(reclaimLeftover(recordFile, dbFile, log)).rejects.toThrow(
    new RegExp(`another xborder \\(pid ${owner.pid}\\) runs on this data folder`),
  );
  expect(alive(server)).toBe(true);
  expect(existsSync(recordFile)).toBe(true);
});

test('the recorded server, its owner gone: stopped, the record removed', async () => {
  const server = await startProcess(['start-dev', '--db-filename', dbFile]);
  const exited = new Promise((r) => server.once('exit', (_code, signal) => r(signal)));
  write({
    server: identify(server.pid!)!,
    owner: { ...identify(process.pid)!, startTime: '1' },
    dbFile,
    port: 1,
    uiPort: null,
  });
  await reclaimLeftover(recordFile, dbFile, log);
  expect(await exited).toBe('SIGTERM');
  expect(existsSync(recordFile)).toBe(false);
  expect(lines).toEqual([expect.stringMatching(/left running by an earlier run \(pid \d+\): stopping it/)]);
});
