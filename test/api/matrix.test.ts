/**
 * The authorisation matrix, generated: every action of API.md × every kind of caller × every point of a
 * transfer's life, reached through real workflows on the dev server. Exactly the allowed combinations succeed;
 * every other one answers 403 / 404 / 409 as API.md says — over HTTP (the API's early answer) and straight to
 * the workflow (its update validator, the last word) — and leaves the transfer and its history untouched.
 *
 * The oracle below is written from API.md's action table and DOMAIN.md's lifecycle, independently of
 * domain/authz.ts, so a wrong row in that table fails here.
 */
import { actions, type Action, type Actor } from '../../domain/authz';
import { actionUpdates } from '../../workflows/messages';
import { HttpProblem } from '../../api/problems';
import { Driver, points, rosa, segmentOf, type Point } from '../drive';
import {
  acmeReviewer,
  applicant,
  otherApplicant,
  otherRecipient,
  recipient,
  meaningfulHistory,
  startStack,
  type Stack,
} from '../helpers';

jest.setTimeout(180_000);

/** API.md "Actions": who performs each. */
const roleOf: Record<Action, Actor['role']> = {
  edit: 'applicant',
  submit: 'applicant',
  supplement: 'applicant',
  withdraw: 'applicant',
  request_re_review: 'applicant',
  countersign: 'applicant',
  file: 'applicant',
  report: 'applicant',
  report_change: 'applicant',
  report_incident: 'applicant',
  respond_rectification: 'applicant',
  request_extension: 'applicant',
  confirm_exemption: 'applicant',
  completeness: 'reviewer',
  review: 'reviewer',
  extend_review: 'reviewer',
  risk_decision: 'reviewer',
  re_review_decision: 'reviewer',
  filing_decision: 'reviewer',
  supervise: 'reviewer',
  rectification_decision: 'reviewer',
  change_decision: 'reviewer',
  extension_decision: 'reviewer',
  sign: 'recipient',
  acknowledge_conditions: 'recipient',
};

/** What succeeds at each point (DOMAIN.md), by its role's in-scope caller. Everything else is refused. */
const allowed: Record<Point, Action[]> = {
  draft: ['edit', 'submit', 'withdraw'],
  completeness_check: ['completeness', 'withdraw'],
  awaiting_supplement: ['supplement', 'withdraw'],
  under_review: ['review', 'extend_review', 'withdraw'],
  risk_assessment: ['risk_decision', 'extend_review', 'withdraw'],
  not_passed: ['request_re_review', 'withdraw'],
  re_review: ['re_review_decision', 'withdraw'],
  awaiting_signature: ['sign', 'withdraw'],
  awaiting_countersignature: ['countersign', 'withdraw'],
  awaiting_filing: ['file', 'withdraw'],
  filing_review: ['filing_decision', 'withdraw'],
  filing_returned: ['file', 'withdraw'],
  // a fresh transfer's first period is not in its last 30 days (report → 409) and the extension window is
  // years away (request_extension → 409); both succeed in test/workflow/deadline-table.test.ts
  active: ['supervise', 'report_incident', 'report_change'],
  change_review: ['change_decision', 'supervise', 'report_incident'],
  rectification_ordered: ['respond_rectification', 'supervise', 'report_incident'],
  rectification_answered: ['rectification_decision', 'respond_rectification', 'supervise', 'report_incident'],
  suspended: ['supervise', 'report_incident'],
  exempt: ['confirm_exemption', 'withdraw'],
  withdrawn: [],
};

/** Callers: the one in-scope caller per role, and those who must never see the transfer. */
const callers: { name: string; actor: Actor; inScope: boolean }[] = [
  { name: 'applicant of the org', actor: applicant, inScope: true },
  { name: 'uninvolved reviewer', actor: rosa, inScope: true },
  { name: 'named recipient', actor: recipient, inScope: true },
  { name: 'applicant of another org', actor: otherApplicant, inScope: false },
  { name: 'reviewer of the applicant’s org', actor: acmeReviewer, inScope: false },
  { name: 'another recipient', actor: otherRecipient, inScope: false },
  { name: 'admin', actor: { sub: 'ada', role: 'admin' }, inScope: false },
];

function expectedStatus(point: Point, action: Action, caller: (typeof callers)[number]): number {
  if (!caller.inScope) return 404;
  if (point === 'draft' && caller.actor.role !== 'applicant') return 404; // drafts are the applicant's own
  if (caller.actor.role !== roleOf[action]) return 403;
  return allowed[point].includes(action) ? 200 : 409;
}

let stack: Stack;
let drive: Driver;
beforeAll(async () => {
  stack = await startStack({ rateLimit: { perIdentity: 100_000, perIp: 100_000 } });
  drive = new Driver(stack);
});
afterAll(async () => {
  await stack.stop();
});

async function send(id: string, action: Action, actor: Actor, body: unknown) {
  const token = await drive.token(actor);
  return action === 'edit'
    ? stack.call('PATCH', `/v1/transfers/${id}`, { token, body })
    : stack.call('POST', `/v1/transfers/${id}/${segmentOf(action)}`, { token, body });
}

/** The same request, straight to the workflow's update (no API in front). */
async function direct(id: string, action: Action, actor: Actor, body: unknown): Promise<number> {
  const input = action === 'edit' ? { actor, patch: body } : { actor, ...(body as object) };
  try {
    await stack.gateway.update(id, actionUpdates[action], input, `matrix-${Math.random()}`);
    return 200;
  } catch (err) {
    if (err instanceof HttpProblem) return err.status;
    throw err;
  }
}

describe.each(points.map((p) => [p]))('at %s', (point) => {
  test('exactly the allowed combinations succeed; the others are refused and change nothing', async () => {
    const id = await drive.reach(point);
    const eventsBefore = await meaningfulHistory(stack, id);
    const before = await drive.view(id);
    const refusedWrongly: string[] = [];

    for (const action of actions) {
      const body = await drive.bodyFor(action, id, before);
      for (const caller of callers) {
        const want = expectedStatus(point, action, caller);
        if (want === 200) continue; // performed below, on a fresh transfer each
        const res = await send(id, action, caller.actor, body);
        const viaWorkflow = await direct(id, action, caller.actor, body);
        // a closed workflow takes no updates at all: Temporal refuses before any validator runs
        const wantDirect = point === 'withdrawn' ? 409 : want;
        if (res.status !== want || viaWorkflow !== wantDirect) {
          refusedWrongly.push(
            `${action} by ${caller.name}: HTTP ${res.status}, workflow ${viaWorkflow}, expected ${want}/${wantDirect} (${res.body?.detail})`,
          );
        } else {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(res.body).toMatchObject({
            status: want,
            type: expect.stringMatching(/^urn:xborder:problem:/),
          });
        }
      }
    }
    expect(refusedWrongly).toEqual([]);

    // nothing refused left a trace: the same state, the same history
    const after = await drive.view(id);
    expect({ status: after.status, decisions: after.decisions, updatedAt: after.updatedAt }).toEqual({
      status: before.status,
      decisions: before.decisions,
      updatedAt: before.updatedAt,
    });
    expect(await meaningfulHistory(stack, id)).toEqual(eventsBefore);

    // every allowed combination succeeds, each on a fresh transfer at this point
    for (const action of allowed[point]) {
      const actor = callers.find((c) => c.inScope && c.actor.role === roleOf[action])!.actor;
      const fresh = await drive.reach(point);
      const view = await drive.view(fresh);
      const res = await send(fresh, action, actor, await drive.bodyFor(action, fresh, view));
      expect({ action, status: res.status, detail: res.body?.detail }).toEqual({
        action,
        status: 200,
        detail: undefined,
      });
      expect(res.body.updatedAt).not.toBe(view.updatedAt);
    }
  });
});

test('every action of the authorisation table is in the matrix, and every point is visited', () => {
  expect(Object.keys(roleOf).sort()).toEqual([...actions].sort());
  expect(Object.keys(allowed).sort()).toEqual([...points].sort());
});
