/** compareChain: a transfer's stored audit chain against the decisions and escalations its workflow kept. */
import { compareChain, type ChainEntry } from '../../domain/evidence-check';
import { stepEvidence } from '../../domain/step-evidence';
import { pendingEvidence } from '../../domain/evidence';
import type { Decision, Escalation } from '../../domain/transfer-state';
import type { TransferState } from '../../domain/transfer';

const decisions: Decision[] = [
  { action: 'submit', by: 'alice', role: 'applicant', at: '2026-03-02T01:00:00.000Z' },
  {
    action: 'completeness.request_supplement',
    by: 'rita',
    role: 'reviewer',
    at: '2026-03-03T01:00:00.000Z',
    details: { items: 1 },
  },
  { action: 'supplement', by: 'alice', role: 'applicant', at: '2026-03-04T01:00:00.000Z' },
  {
    action: 'completeness.accept',
    by: 'rita',
    role: 'reviewer',
    at: '2026-03-05T01:00:00.000Z',
    reason: 'all there',
  },
];
const escalations: Escalation[] = [
  { step: 'substantive_review', at: '2026-03-04T12:00:00.000Z', notice: 'the review is overdue' },
];

/** A state with just what the evidence functions read. */
const stateWith = (ds: Decision[], es: Escalation[] = []): TransferState =>
  ({
    id: '11111111-1111-4111-8111-111111111111',
    status: 'under_review',
    applicantOrg: 'acme',
    application: { title: 't', recipient: { id: 'eu-fulfil' } },
    decisions: ds,
    escalations: es,
    deadlines: [],
    supplementRequests: [],
    updatedAt: '2026-03-05T01:00:00.000Z',
  }) as unknown as TransferState;

const cursor0 = { decisions: 0, escalations: 0, notifiedDecisions: 0, tasks: '' };

/** The chain code version 6 writes (content keys), in one write or in several. */
const v6Chain = (ds: Decision[], es: Escalation[] = []): ChainEntry[] =>
  stepEvidence(stateWith(ds, es), cursor0, '2026-03-05T02:00:00.000Z').evidence.entries.map((e, i) => ({
    ...e,
    seq: i + 1,
  }));

/** The chain code versions before 6 wrote (positional keys d:<n>/e:<n>). */
const v5Chain = (ds: Decision[], es: Escalation[] = []): ChainEntry[] =>
  pendingEvidence(stateWith(ds, es), cursor0).entries.map((e, i) => ({ ...e, seq: i + 1 }));

describe('compareChain', () => {
  test('a chain written by code version 6 equals what the workflow kept', () => {
    const chain = v6Chain(decisions, escalations);
    expect(chain.every((e) => /^[de]:[0-9a-f]{32}$/.test(e.key))).toBe(true);
    expect(compareChain(chain, { decisions, escalations })).toEqual({ ok: true, compared: 5 });
  });

  test('a chain written before code version 6 (keys d:<n>, e:<n>) is compared the same way', () => {
    const chain = v5Chain(decisions, escalations);
    expect(chain.map((e) => e.key)).toEqual(['d:0', 'd:1', 'd:2', 'e:0', 'd:3']);
    expect(compareChain(chain, { decisions, escalations }).ok).toBe(true);
  });

  test('a chain begun by older code and continued by version 6 (mixed keys)', () => {
    const older = v5Chain(decisions.slice(0, 2));
    const newer = v6Chain(decisions.slice(2), escalations).map((e, i) => ({
      ...e,
      seq: older.length + i + 1,
    }));
    expect(compareChain([...older, ...newer], { decisions, escalations }).ok).toBe(true);
  });

  test('the chain in write order rather than time order is still equal (order is compared by time)', () => {
    const chain = v6Chain(decisions, escalations);
    const reordered = [chain[0]!, chain[2]!, chain[1]!, chain[4]!, chain[3]!];
    expect(compareChain(reordered, { decisions, escalations }).ok).toBe(true);
  });

  test('no decisions, no entries: equal', () => {
    expect(compareChain([], { decisions: [], escalations: [] })).toEqual({ ok: true, compared: 0 });
  });

  test('a phantom: an entry for a decision the workflow never kept', () => {
    const never: Decision = {
      action: 'completeness.refuse',
      by: 'rosa',
      role: 'reviewer',
      at: '2026-03-04T06:00:00.000Z',
      reason: 'out of scope',
    };
    const chain = v6Chain([...decisions, never], escalations);
    const result = compareChain(chain, { decisions, escalations });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing).toEqual([]);
    expect(result.phantom).toEqual([
      expect.objectContaining({ action: 'completeness.refuse', actor: 'rosa', reason: 'out of scope' }),
    ]);
    expect(result.first).toMatch(
      /^phantom entry \d+ \(d:[0-9a-f]{32}\): completeness\.refuse by rosa \(reviewer\) at 2026-03-04T06:00:00\.000Z — "out of scope" is in the chain, not in the workflow$/,
    );
    expect(result.message).toContain('1 phantom, 0 missing');
  });

  test('a missing entry: a decision the workflow kept that the chain lacks', () => {
    const chain = v6Chain(
      decisions.filter((d) => d.action !== 'supplement'),
      escalations,
    );
    const result = compareChain(chain, { decisions, escalations });
    expect(result).toMatchObject({
      ok: false,
      phantom: [],
      missing: [expect.objectContaining({ action: 'supplement', source: 'decision 3' })],
      first:
        'missing decision 3: supplement by alice (applicant) at 2026-03-04T01:00:00.000Z is in the workflow, not in the chain',
    });
  });

  test('a missing escalation', () => {
    const result = compareChain(v6Chain(decisions), { decisions, escalations });
    expect(result).toMatchObject({
      ok: false,
      missing: [
        expect.objectContaining({
          action: 'escalation.substantive_review',
          actor: 'system',
          source: 'escalation 1',
        }),
      ],
    });
  });

  test('an entry whose time differs from the decision: one phantom and one missing, the earlier named first', () => {
    const shifted = decisions.map((d) =>
      d.action === 'completeness.accept' ? { ...d, at: '2026-03-05T01:00:00.001Z' } : d,
    );
    const result = compareChain(v6Chain(shifted, escalations), { decisions, escalations });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing.map((f) => f.at)).toEqual(['2026-03-05T01:00:00.000Z']);
    expect(result.phantom.map((f) => f.at)).toEqual(['2026-03-05T01:00:00.001Z']);
    expect(result.first).toMatch(/^missing decision 4: completeness\.accept/);
  });

  test('a decision kept once but written twice (two keys) is a phantom; kept twice, written twice, is equal', () => {
    const chain = v6Chain(decisions);
    const twice = [...chain, { ...chain[0]!, key: 'd:0', seq: chain.length + 1 }];
    const result = compareChain(twice, { decisions, escalations: [] });
    expect(result).toMatchObject({
      ok: false,
      missing: [],
      phantom: [expect.objectContaining({ action: 'submit' })],
    });
    expect(compareChain(twice, { decisions: [...decisions, decisions[0]!], escalations: [] }).ok).toBe(true);
  });

  test('actor, role and reason count; details do not', () => {
    const chain = v6Chain(decisions);
    const other = (patch: Partial<ChainEntry>) =>
      compareChain(
        chain.map((e) => (e.action === 'completeness.accept' ? { ...e, ...patch } : e)),
        { decisions, escalations: [] },
      ).ok;
    expect(other({ actor: 'rosa' })).toBe(false);
    expect(other({ role: 'admin' })).toBe(false);
    expect(other({ reason: 'something else' })).toBe(false);
    expect(other({ reason: undefined })).toBe(false);
    expect(
      compareChain(chain, { decisions: decisions.map((d) => ({ ...d, details: { x: 1 } })), escalations: [] })
        .ok,
    ).toBe(true);
  });

  test('an empty reason is the same as none', () => {
    const ds = [{ ...decisions[0]!, reason: '' }];
    expect(compareChain(v6Chain(ds), { decisions: ds, escalations: [] }).ok).toBe(true);
  });
});
