/**
 * Policy versions: GET /v1/policy lists a pack's released versions and describes any one of them;
 * `npm run policy:impact` reports what moving the open transfers to a version would change, reading only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activePolicy, type PolicyPack } from '../../domain/policy';
import { collectImpact, formatReport } from '../../scripts/policy-impact';
import { Driver } from '../drive';
import { eventually, reviewer, startStack, TEST_ENCRYPTION_KEYS, type Stack } from '../helpers';

let stack: Stack;
let token: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token(reviewer);
});
afterAll(async () => {
  await stack.stop();
});

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, kind: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: `urn:xborder:problem:${kind}`, status });
}

describe('GET /v1/policy', () => {
  test('without parameters: the active pack at its current version, with the released versions', async () => {
    const res = await stack.call('GET', '/v1/policy', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'cn-2024',
      version: '2024.1',
      current: '2024.1',
      thresholds: { securityAssessmentIndividuals: 1_000_000 },
    });
    expect(res.body.versions).toContain('2024.1');
    expect(res.body.versions.at(-1)).toBe(res.body.current);
  });

  test('?id=cn-2024&version=2024.1 describes exactly that version', async () => {
    const res = await stack.call('GET', '/v1/policy?id=cn-2024&version=2024.1', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'cn-2024', version: '2024.1' });
    expect(res.body.deadlines).toContainEqual(
      expect.objectContaining({ step: 'completeness_decision', length: { workingDays: 5 } }),
    );
  });

  test('an unreleased version → 404 problem+json naming the released ones', async () => {
    const res = await stack.call('GET', '/v1/policy?version=2099.1', { token });
    expectProblem(res, 404, 'not-found');
    expect(res.body.detail).toContain('2024.1');
  });

  test('an unknown pack → 404', async () => {
    expectProblem(await stack.call('GET', '/v1/policy?id=xx-1999', { token }), 404, 'not-found');
  });

  test.each([
    ['version=latest', '/query/version'],
    ['version=2024.1%3BDROP', '/query/version'],
    ['version=', '/query/version'],
    ['id=CN-2024', '/query/id'],
    ['id=cn-2024%402024.1', '/query/id'],
    ['version=2024.1&version=2024.2', '/query/version'],
    ['versions=2024.1', '/query'],
  ])('a malformed query (%s) → 400 with the field', async (q, pointer) => {
    const res = await stack.call('GET', `/v1/policy?${q}`, { token });
    expectProblem(res, 400, 'validation');
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer).join(' ')).toContain(pointer);
  });

  test('needs a token', async () => {
    expectProblem(await stack.call('GET', '/v1/policy?version=2024.1'), 401, 'unauthenticated');
  });

  test('/openapi.json documents the id and version parameters', async () => {
    const doc = (await stack.call('GET', '/openapi.json')).body;
    const op = doc.paths['/v1/policy'].get;
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:id',
      'query:version',
    ]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});

describe('npm run policy:impact -- <id>@<version>', () => {
  const root = join(__dirname, '..', '..');
  let dataDir: string;
  let ids: string[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xborder-impact-'));
    const driver = new Driver(stack);
    ids = [
      await driver.reach('completeness_check'),
      await driver.reach('risk_assessment'), // scored by the worker under the pinned version
      await driver.reach('exempt'),
    ];
    // visibility is eventually consistent: wait until the script's listing would see all three
    const query = `WorkflowType = 'transferWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${stack.taskQueue}'`;
    await eventually(async () => {
      let n = 0;
      for await (const _ of stack.client.workflow.list({ query })) n++;
      return n >= ids.length;
    });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /**
   * The real command, as an operator runs it, pointed at this stack's dev server and task queue. Asynchronous:
   * this process runs the worker that answers the script's queries.
   */
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/policy-impact.ts', ...args], {
        cwd: root,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: dataDir,
          TEMPORAL_ADDRESS: process.env.XB_TEST_TEMPORAL_ADDRESS,
          TEMPORAL_NAMESPACE: 'default',
          XBORDER_TASK_QUEUE: stack.taskQueue,
          XBORDER_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
          XBORDER_DATA_DIR: dataDir,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  test('to the version every open transfer pinned: nothing to migrate, exit 0', async () => {
    const out = await run('cn-2024@2024.1');
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`${ids.length} open transfer(s) of cn-2024; ${ids.length} already on it`);
    expect(out.stdout).toContain('nothing to migrate');
  });

  test.each([
    ['cn-2024@2099.1', 'cn-2024 has no released version 2099.1; released: 2024.1'],
    ['xx-1999@1.0', 'no policy pack xx-1999'],
    ['cn-2024', 'not <id>@<version>'],
  ])('%s → a clear message and exit 2', async (arg, message) => {
    const out = await run(arg);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stdout).toBe('');
  });

  test('without an argument → usage and exit 2', async () => {
    const out = await run();
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('usage: npm run policy:impact -- <id>@<version>');
  });

  test('against another version (test-only, built here): the transfers whose route, materials or deadlines differ', async () => {
    const stricter: PolicyPack = {
      ...activePolicy,
      version: '2099.1',
      thresholds: { ...activePolicy.thresholds, securityAssessmentIndividuals: 200_000 },
      deadlines: activePolicy.deadlines.map((d) =>
        d.step === 'completeness_decision' ? { ...d, length: { workingDays: 7 } } : d,
      ),
    };
    const before = await Promise.all(
      ids.map((id) => stack.client.workflow.getHandle(`transfer-${id}`).describe()),
    );
    const report = await collectImpact({
      client: stack.client,
      taskQueue: stack.taskQueue,
      target: stricter,
    });
    expect(report).toMatchObject({
      target: 'cn-2024@2099.1',
      open: 3,
      onTarget: 0,
      unaffected: 1,
      unreadable: [],
    });
    const [checking, assessing] = ids;
    expect(report.rows).toEqual(
      [
        {
          transferId: checking,
          status: 'completeness_check',
          pinned: 'cn-2024@2024.1',
          differences: [
            'route: standard_contract → security_assessment',
            'materials: +declaration_form +self_assessment_report +legal_documents -pipia_report -standard_contract -undertaking_letter',
            'deadline completeness_decision: 5 WD → 7 WD',
          ],
        },
        {
          transferId: assessing,
          status: 'risk_assessment',
          pinned: 'cn-2024@2024.1',
          differences: [
            'route: standard_contract → security_assessment',
            'materials: +declaration_form +self_assessment_report +legal_documents -pipia_report -standard_contract -undertaking_letter',
          ],
        },
      ].sort((a, b) => (a.transferId! < b.transferId! ? -1 : 1)),
    );
    const table = formatReport(report);
    expect(table).toMatch(/^transfer +status +pinned +what differs$/m);
    expect(table).toContain('deadline completeness_decision: 5 WD → 7 WD');
    // queries only: no transfer's history grew
    const after = await Promise.all(
      ids.map((id) => stack.client.workflow.getHandle(`transfer-${id}`).describe()),
    );
    expect(after.map((d) => d.historyLength)).toEqual(before.map((d) => d.historyLength));
  });
});
