/**
 * The worker stops mid-run: a decision answers 503 with Retry-After within the API's deadline, nothing is lost;
 * the worker comes back and the same request under the same Idempotency-Key succeeds — once.
 */
import { Driver, rita } from '../drive';
import { startStack, type Stack } from '../helpers';

let stack: Stack;
let drive: Driver;
beforeAll(async () => {
  stack = await startStack({ updateTimeoutMs: 2_000 });
  drive = new Driver(stack);
});
afterAll(async () => {
  await stack.stop();
});

test('worker down → 503 quickly; worker back → the same keyed request applies exactly once', async () => {
  const id = await drive.reach('completeness_check');
  const token = await drive.token(rita);
  const decide = () =>
    stack.call('POST', `/v1/transfers/${id}/completeness`, {
      token,
      body: { decision: 'accept', reason: 'complete' },
      headers: { 'idempotency-key': 'rita-accept-1' },
    });

  await stack.stopWorker();
  const down = await decide(); // answered when the API's 2 s deadline passes, not when the client gives up
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(down.body.type).toBe('urn:xborder:problem:unavailable');

  await stack.startWorker();
  const first = await decide();
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('under_review');
  const again = await decide();
  expect(again.status).toBe(200);
  expect(again.body.decisions).toEqual(first.body.decisions);

  const view = await drive.view(id, rita);
  expect(view.decisions.filter((d: { action: string }) => d.action === 'completeness.accept')).toHaveLength(
    1,
  );
  const history = await stack.client.workflow.getHandle(`transfer-${id}`).fetchHistory();
  const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  expect(
    accepted.filter(
      (e) =>
        e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest?.input?.name === 'completeness',
    ),
  ).toHaveLength(1);
});
