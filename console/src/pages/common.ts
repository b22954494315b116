import type { Problem } from '../api/client';
import { ProblemError } from '../api/client';

/** The lifecycle's phases in order, as the domain states them (DOMAIN.md "Lifecycle"). */
export { phases } from '../../../domain/lifecycle';

/** The problem of a failed query or mutation, if any. */
export function useProblem(error: unknown): Problem | undefined {
  if (!error) return undefined;
  if (error instanceof ProblemError) return error.problem;
  return {
    type: 'about:blank',
    title: 'Error',
    status: 0,
    detail: error instanceof Error ? error.message : 'unexpected error',
    instance: '',
  };
}

/** One row per transfer: visibility may briefly list a transfer twice (a run and the run it continued as). */
export function uniqueById<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.id) && seen.add(i.id));
}
