/** The worker's memory bound (XBORDER_WORKER_MAX_*): documented defaults, overrides, clear refusals by name. */
import { parseConfig, recommendedWorkflowHeapMb } from '../../config';
import { configRefusal as refusal } from '../fixtures';

test('unset: 100 transfers in the sticky cache, 40 workflow tasks at once, no workflow heap cap (opt-in)', () => {
  expect(parseConfig({}).worker).toEqual({
    maxCachedWorkflows: 100,
    maxConcurrentWorkflowTasks: 40,
    workflowHeapMb: undefined,
  });
});

test('set: each overrides its default; a cache below 40 lowers the tasks at once to it; 0 turns the cache off', () => {
  expect(
    parseConfig({
      XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '1000',
      XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '100',
      XBORDER_WORKER_WORKFLOW_HEAP_MB: '4096',
    }).worker,
  ).toEqual({ maxCachedWorkflows: 1000, maxConcurrentWorkflowTasks: 100, workflowHeapMb: 4096 });
  expect(parseConfig({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '10' }).worker).toEqual({
    maxCachedWorkflows: 10,
    maxConcurrentWorkflowTasks: 10,
    workflowHeapMb: undefined,
  });
  expect(parseConfig({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '0' }).worker).toEqual({
    maxCachedWorkflows: 0,
    maxConcurrentWorkflowTasks: 40,
    workflowHeapMb: undefined,
  });
  // the recommended cap grows with the cache: 3 MB per cached workflow beyond 100
  expect(recommendedWorkflowHeapMb(1000)).toBe(3212);
  // an empty variable is unset
  expect(parseConfig({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '' }).worker.maxCachedWorkflows).toBe(100);
});

test('bad values are refused by name', () => {
  expect(refusal({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toMatch(
    /XBORDER_WORKER_MAX_CACHED_WORKFLOWS/,
  );
  expect(refusal({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '-5' })).toMatch(
    /XBORDER_WORKER_MAX_CACHED_WORKFLOWS/,
  );
  expect(refusal({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '2.5' })).toMatch(
    /XBORDER_WORKER_MAX_CACHED_WORKFLOWS/,
  );
  // the SDK would silently make it 2
  expect(refusal({ XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '1' })).toContain(
    'XBORDER_WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or at least 2',
  );
  expect(refusal({ XBORDER_WORKER_WORKFLOW_HEAP_MB: '64' })).toMatch(/XBORDER_WORKER_WORKFLOW_HEAP_MB/);
  expect(refusal({ XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toMatch(
    /XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/,
  );
  // a task in hand holds its workflow in the cache: no more tasks at once than the cache holds
  expect(
    refusal({
      XBORDER_WORKER_MAX_CACHED_WORKFLOWS: '20',
      XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
    }),
  ).toContain(
    'XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (40) cannot exceed XBORDER_WORKER_MAX_CACHED_WORKFLOWS (20)',
  );
});
