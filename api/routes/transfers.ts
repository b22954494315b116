/** /v1/route-check, /v1/transfers, /v1/inbox and the transfer actions. */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { partialApplicationSchema, type PartialApplication } from '../../domain/application';
import { authorize, canSee, visibleScope, type Action, type Actor, type Scope } from '../../domain/authz';
import { isDeadlineOverdue } from '../../domain/deadlines';
import { workingDaysLeft } from '../../domain/calendar';
import { isTerminal, type Status } from '../../domain/lifecycle';
import { activePolicy, isPolicyId, latestPlugin, policyIds, type AnyPolicyPlugin } from '../../domain/policy';
import { determineRoute } from '../../domain/routes';
import { scopeOf, type TransferState } from '../../domain/transfer';
import type { InboxCursor, Store, TransferView } from '../../store';
import {
  actionUpdates,
  completenessUpdate,
  editUpdate,
  submitUpdate,
  supplementUpdate,
  withdrawUpdate,
} from '../../workflows/messages';
import { actorOf } from '../auth';
import { HttpProblem } from '../problems';
import {
  actionTable,
  completenessBody,
  createTransferBody,
  emptyBody,
  inboxQuery,
  listQuery,
  signBody,
  supplementBody,
  transferIdParam,
  withdrawBody,
} from '../schemas';
import type { Summary, TransferGateway } from '../temporal';
import { toTransferView } from '../view';
import { decodePageToken, encodePageToken, hashBody, idempotencyKey, parse, updateIdFor } from './util';

const listCursor = z.strictObject({ createdAt: z.string().max(40), transferId: z.string().max(64) });
const inboxCursor = z.strictObject({
  overdue: z.boolean(),
  dueSort: z.string().max(40),
  transferId: z.string().max(64),
});

export interface TransferRouteDeps {
  gateway: TransferGateway;
  store: Store;
  now: () => number;
}

function requireRole(actor: Actor, role: Actor['role'], what: string): void {
  if (actor.role !== role)
    throw new HttpProblem('forbidden-role', `${what} is for the ${role}, not the ${actor.role}`);
}

/**
 * The pack a request body names in `policy` (default: the active pack, cn-2024) at its current version, and the
 * body without `policy` (which the pack's own schema then parses). An unknown id is a 400 at /policy naming the
 * packs this build holds.
 */
export function bodyPolicy(body: unknown): { plugin: AnyPolicyPlugin; rest: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('policy' in body))
    return { plugin: latestPlugin(activePolicy.id)!, rest: body };
  const { policy, ...rest } = body as Record<string, unknown>;
  const plugin = typeof policy === 'string' && isPolicyId(policy) ? latestPlugin(policy) : undefined;
  if (!plugin) {
    const known = policyIds().join(', ');
    throw new HttpProblem('validation', `unknown policy pack ${JSON.stringify(policy)}; known: ${known}`, [
      { pointer: '/policy', detail: `one of ${known}` },
    ]);
  }
  return { plugin, rest };
}

/** The packs POST /v1/transfers accepts. */
const acceptingPolicies = (): string[] =>
  policyIds().filter((id) => latestPlugin(id)?.lifecycle.acceptsSubmissions);

export function transferRoutes({ gateway, store, now }: TransferRouteDeps): Router {
  const r = Router();

  /** Documents an application references must exist and come from the applicant's organisation. */
  async function checkAttachments(
    actor: Actor,
    app: PartialApplication,
    pointer = '/materials',
  ): Promise<void> {
    const ids = (app.materials ?? []).map((m) => m.documentId);
    const { unknown, foreign } = await store.documents.attachable(ids, actor.org!);
    const errors = [...unknown, ...foreign].map((id) => ({
      pointer: `${pointer}/${ids.indexOf(id)}/documentId`,
      detail: unknown.includes(id)
        ? `${id} was never uploaded`
        : `${id} was not uploaded by your organisation`,
    }));
    if (errors.length > 0)
      throw new HttpProblem(
        'rule-violation',
        'materials must reference documents your organisation uploaded',
        errors,
      );
  }

  async function load(actor: Actor, id: string): Promise<TransferState> {
    try {
      const state = await gateway.get(id);
      if (!canSee(actor, scopeOf(state))) throw new HttpProblem('not-found', 'no such transfer');
      return state;
    } catch (err) {
      if (err instanceof HttpProblem && err.kind === 'not-found')
        throw new HttpProblem('not-found', 'no such transfer');
      throw err;
    }
  }

  r.post('/route-check', (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, 'applicant', 'route-check');
    const { plugin, rest } = bodyPolicy(req.body);
    const facts: unknown = parse(plugin.factsSchema, rest);
    res.json(plugin.routeCheck(facts, new Date(now()).toISOString().slice(0, 10)));
  });

  r.post('/transfers', async (req, res) => {
    const actor = actorOf(req);
    requireRole(actor, 'applicant', 'creating a transfer');
    const { plugin, rest } = bodyPolicy(req.body);
    const pack = plugin.workflowPack;
    if (!plugin.lifecycle.acceptsSubmissions || !pack)
      throw new HttpProblem(
        'rule-violation',
        `${plugin.id}@${plugin.version} is not accepted for submission: ${plugin.lifecycle.notAcceptedBecause ?? 'the workflow does not carry this pack'}`,
        [{ pointer: '/policy', detail: `submissions are accepted under: ${acceptingPolicies().join(', ')}` }],
      );
    let draft: boolean | undefined;
    let application: PartialApplication;
    if (plugin.submission) {
      // a pack with an application of its own (eu-gdpr): no drafts, the complete application is submitted
      if (rest !== null && typeof rest === 'object' && 'draft' in rest && rest.draft === true)
        throw new HttpProblem('validation', `${plugin.id} keeps no drafts: send the complete application`, [
          { pointer: '/draft', detail: 'not accepted under this policy' },
        ]);
      const { draft: _d, ...body } = (rest ?? {}) as Record<string, unknown>;
      application = parse(plugin.submission.schema, body) as PartialApplication;
    } else {
      const { draft: d, policy: _policy, ...parsed } = parse(createTransferBody, rest);
      draft = d;
      application = parsed;
    }
    if (application.exporter?.org !== undefined && application.exporter.org !== actor.org) {
      throw new HttpProblem('rule-violation', 'exporter.org must be your own organisation', [
        { pointer: '/exporter/org', detail: `expected ${actor.org}` },
      ]);
    }
    await checkAttachments(actor, application);
    if (plugin.submission) {
      const refused = plugin.submission.refusal(application, new Date(now()).toISOString().slice(0, 10));
      if (refused) throw new HttpProblem(refused.kind, refused.message, refused.errors);
    } else if (!draft) {
      const decision = determineRoute(application, pack);
      if (decision.route === null) {
        throw new HttpProblem(
          'needs-info',
          `the route cannot be determined: ${decision.needsInfo.map((n) => n.field).join(', ')}`,
          decision.needsInfo.map((n) => ({ pointer: `/${n.field.replace(/\./g, '/')}`, detail: n.reason })),
        );
      }
    }
    const key = idempotencyKey(req);
    let id: string = randomUUID();
    if (key) {
      const claim = await store.idempotency.claimCreation(
        actor.sub,
        key,
        hashBody(req.body),
        id,
        new Date(now()).toISOString(),
      );
      if (claim.bodyHash !== hashBody(req.body)) {
        throw new HttpProblem('idempotency-key-reuse', 'this Idempotency-Key was used with a different body');
      }
      id = claim.transferId;
    }
    const state = await gateway.create(
      {
        id,
        application,
        createdBy: actor,
        policyId: pack.id,
        policyVersion: pack.version,
        submit: !draft,
      },
      updateIdFor(actor, 'create', key ?? id),
    );
    res
      .status(201)
      .location(`/v1/transfers/${state.id}`)
      .json(toTransferView(state, actor, now()));
  });

  /** A read-model row as a list row: workingDaysLeft on the active pack's calendar, overdue as of now. */
  const summary = (v: TransferView, nowMs: number): Summary => {
    // an execution closed from outside (terminated, timed out): cancelled, awaiting nobody
    const cancelled = v.closed && !isTerminal(v.status as Status);
    return {
      id: v.transferId,
      title: v.title,
      status: cancelled ? 'cancelled' : v.status,
      phase: cancelled ? null : v.phase,
      route: v.route,
      destinationCountry: v.country,
      riskLevel: v.riskLevel,
      awaitingRole: cancelled ? null : v.awaitingRole,
      awaitingAction: cancelled ? null : v.awaitingAction,
      nextDeadline: cancelled ? null : v.nextDeadline,
      workingDaysLeft:
        !cancelled && v.nextDeadline
          ? Math.max(0, workingDaysLeft(nowMs, Date.parse(v.nextDeadline), activePolicy.calendar))
          : null,
      overdue: !cancelled && isDeadlineOverdue({ overdue: v.overdue, dueAt: v.nextDeadline }, nowMs),
      createdAt: v.createdAt,
    };
  };

  // Lists and inboxes read the read model (store/transfers.ts), scoped in SQL by visibleScope; visibility stays
  // for operators.
  r.get('/transfers', async (req, res) => {
    const actor = actorOf(req);
    const { pageSize, pageToken, ...q } = parse(listQuery, req.query, '/query');
    const nowMs = now();
    const filters = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.phase ? { phase: q.phase } : {}),
      ...(q.route ? { route: q.route } : {}),
      ...(q.country ? { country: q.country } : {}),
      ...(q.risk ? { riskLevel: q.risk } : {}),
      ...(q.overdue ? { overdue: q.overdue === 'true' } : {}),
      ...(q.awaitingMe === 'true' ? { awaitingRole: actor.role } : {}),
    };
    const after = pageToken ? decodePageToken(pageToken, filters, listCursor) : undefined;
    const page = await store.transfers.list(visibleScope(actor), filters, {
      limit: pageSize,
      now: new Date(nowMs).toISOString(),
      ...(after ? { after } : {}),
    });
    res.json({
      items: page.items.map((v) => summary(v, nowMs)),
      nextPageToken: page.next ? encodePageToken(page.next, filters) : null,
    });
  });

  r.get('/inbox', async (req, res) => {
    const actor = actorOf(req);
    const { pageSize, pageToken, ...q } = parse(inboxQuery, req.query, '/query');
    const nowMs = now();
    const filters = {
      ...(q.phase ? { phase: q.phase } : {}),
      ...(q.route ? { route: q.route } : {}),
      ...(q.risk ? { riskLevel: q.risk } : {}),
    };
    const bound = { ...filters, inbox: actor.role };
    let after = pageToken ? decodePageToken(pageToken, bound, inboxCursor) : undefined;
    const items: TransferView[] = [];
    let next: InboxCursor | undefined;
    // a closed execution (even one closed from outside, which runs no workflow code) is never offered as a task:
    // each page's rows are checked against Temporal, and a closed one is marked so that no later page offers it
    do {
      const page = await store.transfers.inbox(visibleScope(actor), actor.role, filters, {
        limit: pageSize - items.length,
        now: new Date(nowMs).toISOString(),
        ...(after ? { after } : {}),
      });
      const closed = await gateway.closedAmong(page.items.map((v) => v.transferId));
      await store.transfers.markClosed([...closed]);
      items.push(...page.items.filter((v) => !closed.has(v.transferId)));
      next = page.next;
      after = page.next;
    } while (next && items.length < pageSize);
    res.json({
      items: items.map((v) => summary(v, nowMs)),
      nextPageToken: next ? encodePageToken(next, bound) : null,
    });
  });

  /**
   * Scope for the evidence read paths: from the evidence store, which keeps it after Temporal has deleted the
   * workflow; from the workflow for a transfer with nothing recorded yet (a draft).
   */
  async function evidenceScope(actor: Actor, id: string): Promise<Scope> {
    const facts = await store.audit.facts(id);
    if (!facts) return scopeOf(await load(actor, id));
    const scope = {
      applicantOrg: facts.applicantOrg,
      ...(facts.recipientId ? { recipientId: facts.recipientId } : {}),
      status: facts.status as Scope['status'],
    };
    if (!canSee(actor, scope)) throw new HttpProblem('not-found', 'no such transfer');
    return scope;
  }

  const historyEntries = async (id: string) =>
    (await store.audit.chain(id)).map(({ seq, at, actor, role, action, summary, hash, prevHash }) => ({
      seq,
      at,
      actor,
      role,
      action,
      summary,
      hash,
      prevHash,
    }));

  r.get('/transfers/:id/history', async (req, res) => {
    const actor = actorOf(req);
    const { id } = parse(transferIdParam, req.params, '/params');
    await evidenceScope(actor, id);
    if (actor.role === 'recipient')
      throw new HttpProblem('forbidden-role', 'the history is for the applicant and reviewers');
    res.json({ entries: await historyEntries(id) });
  });

  r.get('/transfers/:id/evidence', async (req, res) => {
    const actor = actorOf(req);
    const { id } = parse(transferIdParam, req.params, '/params');
    const scope = await evidenceScope(actor, id);
    if (actor.role === 'recipient')
      throw new HttpProblem('forbidden-role', 'the evidence pack is for the applicant and reviewers');
    const chain = await store.audit.chain(id);
    const live = await gateway.get(id).catch(() => undefined); // gone after Temporal's retention
    const documents = await Promise.all(
      (await store.documents.ofTransfer(id)).map(async (d) => {
        const problem = await store.documents.check(d.id);
        return {
          ...d,
          digest: d.id.slice('sha256:'.length),
          verified: problem === null,
          ...(problem ? { problem } : {}),
        };
      }),
    );
    const chainCheck = await store.audit.verify(id);
    const facts = live ? undefined : await store.audit.facts(id);
    const broken = documents.filter((d) => !d.verified).map((d) => `document ${d.id}: ${d.problem}`);
    res.json({
      transferId: id,
      generatedAt: new Date(now()).toISOString(),
      status: live?.status ?? scope.status,
      workflowRetained: live !== undefined,
      application: live?.application ?? facts?.application ?? null,
      decisions: chain
        .filter((e) => e.key.startsWith('d:'))
        .map((e) => ({
          action: e.action,
          by: e.actor,
          role: e.role,
          at: e.at,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.details ? { details: e.details } : {}),
        })),
      documents,
      chain: await historyEntries(id),
      verification: {
        ok: chainCheck.ok && broken.length === 0,
        chain: chainCheck,
        documents: { ok: broken.length === 0, checked: documents.length, failures: broken },
      },
    });
  });

  r.get('/transfers/:id', async (req, res) => {
    const actor = actorOf(req);
    const { id } = parse(transferIdParam, req.params, '/params');
    res.json(toTransferView(await load(actor, id), actor, now()));
  });

  /** An action: early answer from the same authorisation table the workflow validator uses, then the update. */
  function action<I>(
    path: string,
    act: Action,
    run: (
      actor: Actor,
      body: unknown,
    ) => {
      def: Parameters<TransferGateway['update']>[1];
      input: I;
      /** checks of what the body references (documents), made once the caller is known to be in scope */
      check?: () => Promise<void>;
    },
  ) {
    return async (
      req: Parameters<Parameters<typeof r.post>[1]>[0],
      res: Parameters<Parameters<typeof r.post>[1]>[1],
    ) => {
      const actor = actorOf(req);
      const { id } = parse(transferIdParam, req.params, '/params');
      const key = idempotencyKey(req);
      const { def, input, check } = run(actor, req.body);
      if (
        key &&
        !(await store.idempotency.claimKey(
          actor.sub,
          key,
          `${path}:${id}`,
          hashBody(req.body),
          new Date(now()).toISOString(),
        ))
      ) {
        throw new HttpProblem(
          'idempotency-key-reuse',
          'this Idempotency-Key was used with a different request',
        );
      }
      const state = await load(actor, id);
      const denied = authorize(act, actor, scopeOf(state));
      // A retried request whose first attempt already moved the state is answered by the workflow's dedupe.
      if (denied && !(key && denied.kind === 'wrong-phase')) throw HttpProblem.fromRefusal(denied);
      await check?.();
      const next = await gateway.update(id, def as never, input, updateIdFor(actor, `${path}:${id}`, key));
      res.json(toTransferView(next, actor, now()));
    };
  }

  r.patch(
    '/transfers/:id',
    action('edit', 'edit', (actor, body) => {
      const patch = parse(partialApplicationSchema, body);
      if (patch.exporter?.org !== undefined && patch.exporter.org !== actor.org) {
        throw new HttpProblem('rule-violation', 'exporter.org must be your own organisation', [
          { pointer: '/exporter/org', detail: `expected ${actor.org}` },
        ]);
      }
      return {
        def: editUpdate,
        input: { actor, patch },
        check: () => checkAttachments(actor, patch),
      };
    }),
  );
  r.post(
    '/transfers/:id/submit',
    action(
      'submit',
      'submit',
      (actor, body) => (parse(emptyBody, body), { def: submitUpdate, input: { actor } }),
    ),
  );
  r.post(
    '/transfers/:id/completeness',
    action('completeness', 'completeness', (actor, body) => ({
      def: completenessUpdate,
      input: { actor, ...parse(completenessBody, body) },
    })),
  );
  r.post(
    '/transfers/:id/supplement',
    action('supplement', 'supplement', (actor, body) => {
      const parsed = parse(supplementBody, body);
      const check = async () => {
        const ids = parsed.responses.map((x) => x.documentId);
        const { unknown, foreign } = await store.documents.attachable(
          ids.filter((d): d is string => d !== undefined),
          actor.org!,
        );
        const errors = ids.flatMap((d, n) =>
          d === undefined || !(unknown.includes(d) || foreign.includes(d))
            ? []
            : [
                {
                  pointer: `/responses/${n}/documentId`,
                  detail: unknown.includes(d)
                    ? `${d} was never uploaded`
                    : `${d} was not uploaded by your organisation`,
                },
              ],
        );
        if (errors.length > 0)
          throw new HttpProblem(
            'rule-violation',
            'responses must reference documents your organisation uploaded',
            errors,
          );
      };
      return { def: supplementUpdate, input: { actor, ...parsed }, check };
    }),
  );
  r.post(
    '/transfers/:id/withdraw',
    action('withdraw', 'withdraw', (actor, body) => ({
      def: withdrawUpdate,
      input: { actor, ...parse(withdrawBody, body) },
    })),
  );

  for (const { segment, action: act, body: schema } of actionTable) {
    r.post(
      `/transfers/:id/${segment}`,
      action(act, act, (actor, body) => ({
        def: actionUpdates[act],
        input: { actor, ...parse<z.ZodType<object>>(schema, body) },
      })),
    );
  }
  r.post(
    '/transfers/:id/sign',
    action('sign', 'sign', (actor, body) => {
      const parsed = parse(signBody, body);
      const check = async () => {
        if (!(await store.documents.uploadedBy(parsed.documentId, actor))) {
          throw new HttpProblem(
            'rule-violation',
            'upload the signed agreement first (POST /v1/documents), then sign with its id',
            [{ pointer: '/documentId', detail: 'not a document you uploaded' }],
          );
        }
      };
      return { def: actionUpdates.sign, input: { actor, ...parsed }, check };
    }),
  );

  return r;
}
