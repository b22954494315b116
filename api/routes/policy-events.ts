/**
 * Events that re-open transfers (issue 13 item 4): an operator records that a DPF listing or an adequacy decision
 * changed; every active eu-gdpr transfer the event affects moves to re-evaluation (`change_review`) with the pack's
 * deadline, each recorded in its audit trail as the operator's `reopen` decision naming the event.
 *
 * POST /v1/admin/eu-gdpr/events (admins): the answer lists the transfers re-opened and those already in
 * re-evaluation. The same event sent again re-opens nothing twice (one update id per event and transfer).
 */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { isoCountry, recipientSchema, text } from '../../domain/application';
import type { VisibleScope } from '../../domain/authz';
import { dpfStatuses } from '../../domain/policy/eu-gdpr/facts';
import { euAffectedBy, type EuEvent } from '../../domain/policy/eu-gdpr/events';
import type { TransferState } from '../../domain/transfer';
import type { Store } from '../../store';
import { reopenUpdate } from '../../workflows/messages';
import { actorOf } from '../auth';
import { HttpProblem } from '../problems';
import type { TransferGateway } from '../temporal';
import { parse } from './util';

const recipientId = recipientSchema.shape.id;

export const euEventBody = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('dpf_status'),
      /** the importer whose DPF List record changed, as the party transfers name it */
      recipientId,
      status: z.enum(dpfStatuses),
      /** the day the DPF List showed the new status */
      on: z.iso.date(),
      reason: text(4000),
    })
    .meta({ id: 'EuDpfStatusEvent' }),
  z
    .strictObject({
      kind: z.literal('adequacy_decision'),
      /** the destination whose adequacy decision changed (amended, suspended, repealed, expiring) */
      country: isoCountry,
      on: z.iso.date(),
      reason: text(4000),
    })
    .meta({ id: 'EuAdequacyEvent' }),
]);

/** Every organisation's transfers: the operator's view for this fan-out only (no list is answered from it). */
const everyTransfer: VisibleScope = { excludeDraft: true, nothing: false };

export function policyEventRoutes({
  gateway,
  store,
  now,
}: {
  gateway: TransferGateway;
  store: Store;
  now: () => number;
}): Router {
  const r = Router();
  r.post('/admin/eu-gdpr/events', async (req, res) => {
    const actor = actorOf(req);
    if (actor.role !== 'admin') throw new HttpProblem('forbidden-role', 'recording events is for admins');
    const event: EuEvent = parse(euEventBody, req.body);
    const label =
      event.kind === 'dpf_status'
        ? `dpf_status:${event.recipientId}:${event.status}:${event.on}`
        : `adequacy_decision:${event.country}:${event.on}`;
    const eventId = createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32);
    const reopened: { id: string; status: string }[] = [];
    const already: { id: string; status: string }[] = [];
    let checked = 0;
    // candidates from the read model: active transfers (to the country the event names), all organisations
    const country = event.kind === 'adequacy_decision' ? event.country : undefined;
    const candidates: string[] = [];
    for (let after, first = true; first || after; first = false) {
      const page = await store.transfers.list(
        everyTransfer,
        { status: 'active', ...(country ? { country } : {}) },
        { limit: 100, now: new Date(now()).toISOString(), ...(after ? { after } : {}) },
      );
      candidates.push(...page.items.map((v) => v.transferId));
      after = page.next;
    }
    for (const id of candidates) {
      let state: TransferState = await gateway.get(id);
      if (state.policy.id !== 'eu-gdpr') continue;
      checked++;
      if (!euAffectedBy(state, event)) continue;
      if (state.status !== 'active') {
        already.push({ id, status: state.status });
        continue;
      }
      try {
        state = await gateway.update(
          id,
          reopenUpdate,
          { operator: actor, event: label, reason: event.reason },
          `reopen-${eventId}-${id}`,
        );
        reopened.push({ id, status: state.status });
      } catch (err) {
        // moved meanwhile (another operator's event, a re-evaluation of its own): it is under re-evaluation
        if (err instanceof HttpProblem && err.kind === 'wrong-phase') already.push({ id, status: 'moved' });
        else throw err;
      }
    }
    res.json({ event: label, checked, reopened, alreadyUnderReEvaluation: already });
  });
  return r;
}
