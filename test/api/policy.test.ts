/** Policy versions over HTTP: GET /v1/policy lists a pack's released versions and describes any one of them. */
import { reviewer, startStack, type Stack } from '../helpers';

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
