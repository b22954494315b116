/**
 * Who a process is, beyond its pid (pids are reused): its start time (clock ticks after boot, field 22 of
 * /proc/<pid>/stat) and its command line. `npm start` records its Temporal dev server this way in the data folder
 * and, after a crash, signals the process only when both still match — never a process that merely got the pid.
 * Linux only (/proc); elsewhere nothing is recognised and nothing is signalled.
 */
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  startTime: string;
  cmdline: string[];
}

/** The identity of a live process; undefined when it is gone, a zombie, or /proc cannot tell. */
export function identify(pid: number): ProcessIdentity | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const startTime = rest[19];
    if (!startTime || state === 'Z' || state === 'X') return undefined;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, startTime, cmdline };
  } catch {
    return undefined;
  }
}

/** Whether the recorded process still runs: same pid, same start time, same command line. */
export function stillRunning(recorded: ProcessIdentity): boolean {
  const now = identify(recorded.pid);
  return (
    now !== undefined &&
    now.startTime === recorded.startTime &&
    now.cmdline.length === recorded.cmdline.length &&
    now.cmdline.every((arg, i) => arg === recorded.cmdline[i])
  );
}

/** Wait until the process is gone (true) or `timeoutMs` passed (false). */
export async function gone(recorded: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (stillRunning(recorded)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
