/**
 * Drive a transfer to a given point of its life over HTTP, through API.md actions only, and build a valid body
 * for any action at that point. Used by the authorisation matrix and the fuzz suite.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/authz';
import {
  applicant,
  recipient,
  sampleApplication,
  standardContractKinds,
  uploadMaterials,
  type Stack,
} from './helpers';

/** The reviewers a driven transfer meets: rita decides everything up to filing; rosa is never involved. */
export const rita: Actor = { sub: 'rita', role: 'reviewer', org: 'regulator' };
export const rosa: Actor = { sub: 'rosa', role: 'reviewer', org: 'audit-firm' };

export const checklist = [
  'purpose',
  'destination_environment',
  'recipient_capability',
  'scale_and_sensitivity',
  'security_measures',
  'legal_documents',
  'compliance_record',
].map((item) => ({ item, result: 'pass' }));

/** Today in Asia/Shanghai (the calendar's zone). */
export const today = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const inDays = (n: number): string =>
  new Date(Date.now() + (8 + 24 * n) * 3600_000).toISOString().slice(0, 10);

/** Points of a transfer's life the matrix visits (statuses, some split by what is awaited). */
export const points = [
  'draft',
  'completeness_check',
  'awaiting_supplement',
  'under_review',
  'risk_assessment',
  'not_passed',
  're_review',
  'awaiting_signature',
  'awaiting_countersignature',
  'awaiting_filing',
  'filing_review',
  'filing_returned',
  'active',
  'change_review',
  'rectification_ordered',
  'rectification_answered',
  'suspended',
  'exempt',
  'withdrawn',
] as const;
export type Point = (typeof points)[number];

/** The path segment of each action (`edit` is PATCH /v1/transfers/:id). */
export const segmentOf = (action: string): string => action.replace(/_/g, '-');

export class Driver {
  private tokens = new Map<string, string>();
  /** a stack, or anything that mints tokens and calls an API like one (the fleet test's retrying client) */
  constructor(private readonly stack: Pick<Stack, 'token' | 'call'>) {}

  async token(actor: Actor): Promise<string> {
    const k = JSON.stringify(actor);
    let t = this.tokens.get(k);
    if (!t) {
      t = await this.stack.token(actor);
      this.tokens.set(k, t);
    }
    return t;
  }

  async post(path: string, actor: Actor, body: unknown = {}): Promise<any> {
    const res = await this.stack.call('POST', path, { token: await this.token(actor), body });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async view(id: string, actor: Actor = applicant): Promise<any> {
    const res = await this.stack.call('GET', `/v1/transfers/${id}`, { token: await this.token(actor) });
    if (res.status !== 200) throw new Error(`GET ${id}: ${res.status}`);
    return res.body;
  }

  /** A signed agreement uploaded by the recipient. */
  async signedCopy(id: string): Promise<string> {
    const res = await this.stack.call('POST', '/v1/documents', {
      token: await this.token(recipient),
      body: `signed agreement for ${id} ${randomUUID()}`,
      headers: { 'content-type': 'text/plain' },
    });
    return res.body.id as string;
  }

  /** A fresh transfer of `applicant` (org acme, recipient eu-fulfil) at the given point; returns its id. */
  async reach(point: Point): Promise<string> {
    const A = applicant;
    const t = (action: string, actor: Actor, body: unknown = {}) =>
      this.post(`/v1/transfers/${id}/${segmentOf(action)}`, actor, body);
    if (point === 'exempt') {
      const created = await this.post(
        '/v1/transfers',
        A,
        sampleApplication({
          volume: { individualsYtd: 90, sensitiveIndividualsYtd: 0, importantData: false },
        }),
      );
      return created.id as string;
    }
    const materials = await uploadMaterials(this.stack, await this.token(A), standardContractKinds);
    const app = sampleApplication({ materials: materials as never });
    const created = await this.post('/v1/transfers', A, point === 'draft' ? { ...app, draft: true } : app);
    const id = created.id as string;
    if (point === 'draft' || point === 'completeness_check') return id;
    if (point === 'withdrawn') return (await t('withdraw', A, { reason: 'changed plans' })).id as string;
    if (point === 'awaiting_supplement') {
      await t('completeness', rita, {
        decision: 'request_supplement',
        items: [{ field: 'purpose', request: 'name the carriers' }],
      });
      return id;
    }
    await t('completeness', rita, { decision: 'accept' });
    if (point === 'under_review') return id;
    await t('review', rita, { checklist, decision: 'complete' });
    if (point === 'risk_assessment') return id;
    if (point === 'not_passed' || point === 're_review') {
      await t('risk_decision', rita, { decision: 'not_passed', reason: 'no deletion at term end' });
      if (point === 're_review') await t('request_re_review', A, { reason: 'certificate attached' });
      return id;
    }
    await t('risk_decision', rita, { decision: 'approve' });
    if (point === 'awaiting_signature') return id;
    await t('sign', recipient, {
      documentId: await this.signedCopy(id),
      signerName: 'Erika Muster',
      signerTitle: 'Managing Director',
      signedAt: today(),
    });
    if (point === 'awaiting_countersignature') return id;
    await t('countersign', A);
    if (point === 'awaiting_filing') return id;
    await t('file', A, { effectiveDate: today() });
    if (point === 'filing_review') return id;
    if (point === 'filing_returned') {
      await t('filing_decision', rita, { decision: 'return', reason: 'page 3 is missing' });
      return id;
    }
    await t('filing_decision', rita, { decision: 'accept' });
    if (point === 'active') return id;
    if (point === 'change_review') {
      await t('report_change', A, {
        changes: [{ kind: 'retention', description: 'shorter' }],
        application: { transfer: { retentionDays: 90 } },
      });
      return id;
    }
    if (point === 'suspended') {
      await t('supervise', rita, { kind: 'suspend', reason: 'unreported incident' });
      return id;
    }
    await t('supervise', rita, {
      kind: 'rectification_order',
      reason: 'fix access logs',
      deadline: inDays(20),
    });
    if (point === 'rectification_ordered') return id;
    await t('respond_rectification', A, { text: 'access logs now retained for a year' });
    return id; // rectification_answered
  }

  /**
   * A body for `action` that the schema accepts and, where the action is allowed at this point, that the
   * domain accepts too (for example the answers to the open supplementation items).
   */
  async bodyFor(action: string, id: string, view: any): Promise<unknown> {
    switch (action) {
      case 'edit':
        return { title: 'Order data to EU fulfilment (revised)' };
      case 'submit':
      case 'countersign':
      case 'acknowledge_conditions':
      case 'confirm_exemption':
        return {};
      case 'completeness':
        return { decision: 'accept' };
      case 'supplement': {
        const open = (view.supplementRequests ?? []).find((r: { status: string }) => r.status === 'open');
        const items = (open?.items ?? [{ itemId: 'r1-1' }]) as { itemId: string }[];
        return { responses: items.map((i) => ({ itemId: i.itemId, text: 'DHL and UPS' })) };
      }
      case 'withdraw':
        return { reason: 'the project is cancelled' };
      case 'review':
        return { checklist, decision: 'complete' };
      case 'extend_review':
        return { workingDays: 5, reason: 'a second opinion on the destination law' };
      case 'risk_decision':
        return { decision: 'approve' };
      case 'request_re_review':
        return { reason: 'a deletion certificate is attached' };
      case 're_review_decision':
        return { decision: 'approve', reason: 'the certificate covers backups' };
      case 'sign':
        return {
          documentId: await this.signedCopy(id),
          signerName: 'Erika Muster',
          signerTitle: 'Managing Director',
          signedAt: today(),
        };
      case 'file':
        return { effectiveDate: today() };
      case 'filing_decision':
        return { decision: 'accept' };
      case 'report':
        return {
          // the open period's last day (Asia/Shanghai); the period ends at the instant after it
          periodEnd: view.supervision
            ? new Date(Date.parse(view.supervision.periodEnd) - 1 + 8 * 3600_000).toISOString().slice(0, 10)
            : today(),
          individualsTransferred: 1000,
          sensitiveIndividualsTransferred: 0,
          incidents: [],
        };
      case 'supervise':
        return view.status === 'suspended'
          ? { kind: 'resume', reason: 'the incident is reported' }
          : { kind: 'warning', reason: 'late quarterly figures' };
      case 'respond_rectification':
        return { text: 'access logs are now retained for a year' };
      case 'rectification_decision':
        return { decision: 'accept', reason: 'logs verified' };
      case 'report_incident':
        return {
          severity: 'low',
          occurredAt: new Date(Date.now() - 3600_000).toISOString(),
          description: 'a misrouted export file',
        };
      case 'report_change':
        return {
          changes: [{ kind: 'retention', description: 'shorter' }],
          application: { transfer: { retentionDays: 90 } },
        };
      case 'change_decision':
        return { decision: 'accept', reason: 'less retention, less risk' };
      case 'request_extension':
        return { expectedIndividuals: 300_000 };
      case 'extension_decision':
        return { decision: 'approve', reason: 'compliant record' };
      // eu-gdpr's own steps (refused under cn-2024 at every point: the matrix's transfers are cn-2024)
      case 'privacy_review':
        return { decision: 'reject', reason: 'the TIA names no law' };
      case 're_evaluate':
        return { facts: {} };
      case 're_evaluation_decision':
        return { decision: 'confirm' };
      case 'report_use':
        return { on: today(), frequency: 'occasional' };
      default:
        throw new Error(`no body for ${action}`);
    }
  }
}
