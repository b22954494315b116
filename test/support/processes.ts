/**
 * Child processes of the tests that SIGKILL them (the fleet test, the crash and worker-kill tests): a TypeScript
 * script run by node with tsx as a loader in that very process (tsx's CLI would run it in a grandchild that a
 * SIGKILL misses), its stdout read line by line, killed with the test process at the latest.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ScriptProcess {
  proc: ChildProcess;
  /** every stdout line so far */
  lines: string[];
  /** the first stdout line (so far or to come) that matches; rejects when the process exits before one does */
  line: (match: (line: string) => boolean) => Promise<string>;
  /** how it ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnScript(
  script: string,
  args: string[],
  opts: {
    env: NodeJS.ProcessEnv;
    cwd?: string;
    /** 'pipe' to talk to it on stdin */
    stdin?: 'pipe' | 'ignore';
    /** 'inherit' (default) shows its errors in the test's output */
    stderr?: 'inherit' | 'ignore';
    /** called with each stdout line as it comes */
    onLine?: (line: string) => void;
  },
): ScriptProcess {
  const stdio: StdioOptions = [opts.stdin ?? 'ignore', 'pipe', opts.stderr ?? 'inherit'];
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio,
    env: opts.env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let buffered = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      opts.onLine?.(line);
      for (const w of [...waiters])
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  return {
    proc,
    lines,
    line: (match) => {
      const seen = lines.find(match);
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ match, resolve })),
        exited.then(({ code, signal }) => {
          // a line that came with the last chunk before the exit
          const last = lines.find(match);
          if (last !== undefined) return last;
          throw new Error(`${script} exited with ${signal ?? code} before the awaited line`);
        }),
      ]);
    },
    exited,
  };
}

/** SIGKILL, and wait until it is gone (nothing to do when it has exited already). */
export async function killProcess(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
}
