/**
 * The authorisation matrix, generated: every action of API.md × every kind of caller × every point of a
 * transfer's life, reached through real workflows on the dev server. Exactly the allowed combinations succeed;
 * every other one answers 403 / 404 / 409 with the problem type API.md says — over HTTP (the API's early answer)
 * and straight to the workflow (its update validator, the last word) — and leaves the transfer and its history
 * untouched.
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
  // eu-gdpr's own steps (under cn-2024 refused at every point: wrong phase)
  re_evaluate: 'applicant',
  report_use: 'applicant',
  privacy_review: 'reviewer',
  re_evaluation_decision: 'reviewer',
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

/**
 * Refused as a `conflict`, not as `wrong-phase`: the action belongs to the transfer's status (API.md's action
 * table, DOMAIN.md §5), but a step of that status must come first or has happened already. Time windows inside
 * a status (a report outside its period's last 30 days, an extension before its window opens) are phases:
 * `wrong-phase`.
 */
const conflicts: Partial<Record<Point, Action[]>> = {
  // approved without conditions, not signed yet
  awaiting_signature: ['countersign', 'acknowledge_conditions'],
  // signed already
  awaiting_countersignature: ['sign', 'acknowledge_conditions'],
  // countersigned, nothing filed yet
  awaiting_filing: ['filing_decision'],
  // filed already; the reviewer decides
  filing_review: ['file'],
  // the applicant has not answered the order yet
  rectification_ordered: ['rectification_decision'],
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

/** API.md "Errors": a stable problem type per kind. */
const problem = (kind: string) => `urn:xborder:problem:${kind}`;
type Answer = { status: number; type?: string };

/** What API.md says the API answers (scope, then role, then phase). */
function expected(point: Point, action: Action, caller: (typeof callers)[number]): Answer {
  if (!caller.inScope) return { status: 404, type: problem('not-found') };
  if (point === 'draft' && caller.actor.role !== 'applicant')
    return { status: 404, type: problem('not-found') }; // drafts are the applicant's own
  if (caller.actor.role !== roleOf[action]) return { status: 403, type: problem('forbidden-role') };
  if (allowed[point].includes(action)) return { status: 200 };
  if (conflicts[point]?.includes(action)) return { status: 409, type: problem('conflict') };
  return { status: 409, type: problem('wrong-phase') };
}

/** What the workflow answers to the same request: the same, except that a closed workflow takes no update at all. */
function expectedDirect(point: Point, action: Action, caller: (typeof callers)[number]): Answer {
  // Temporal refuses before any validator runs; the gateway answers "closed, no more actions"
  if (point === 'withdrawn') return { status: 409, type: problem('wrong-phase') };
  return expected(point, action, caller);
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
async function direct(id: string, action: Action, actor: Actor, body: unknown): Promise<Answer> {
  const input = action === 'edit' ? { actor, patch: body } : { actor, ...(body as object) };
  try {
    await stack.gateway.update(id, actionUpdates[action], input, `matrix-${Math.random()}`);
    return { status: 200 };
  } catch (err) {
    if (err instanceof HttpProblem) return { status: err.status, type: problem(err.kind) };
    throw err;
  }
}

const line = (action: Action, caller: string, http: Answer & { mediaType?: string }, workflow: Answer) =>
  `${action} by ${caller}: HTTP ${http.status} ${http.type ?? '-'} (${http.mediaType ?? '-'}), workflow ${workflow.status} ${workflow.type ?? '-'}`;

describe.each(points.map((p) => [p]))('at %s', (point) => {
  test('exactly the allowed combinations succeed; the others are refused and change nothing', async () => {
    const id = await drive.reach(point);
    const eventsBefore = await meaningfulHistory(stack, id);
    const before = await drive.view(id);
    const answered: string[] = [];
    const wanted: string[] = [];

    for (const action of actions) {
      const body = await drive.bodyFor(action, id, before);
      for (const caller of callers) {
        const want = expected(point, action, caller);
        if (want.status === 200) continue; // performed below, on a fresh transfer each
        const res = await send(id, action, caller.actor, body);
        const viaWorkflow = await direct(id, action, caller.actor, body);
        answered.push(
          line(
            action,
            caller.name,
            {
              status: res.status,
              type: res.body?.status === res.status ? res.body?.type : `body status ${res.body?.status}`,
              mediaType: res.headers.get('content-type')?.split(';')[0],
            },
            viaWorkflow,
          ),
        );
        wanted.push(
          line(
            action,
            caller.name,
            { ...want, mediaType: 'application/problem+json' },
            expectedDirect(point, action, caller),
          ),
        );
      }
    }
    expect(answered).toEqual(wanted);

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
