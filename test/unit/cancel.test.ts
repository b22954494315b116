/** Closed from outside (DOMAIN.md `cancelled`): an operator cancels the workflow in the Temporal UI or CLI. */
import { isTerminal, phaseOf, transitions } from '../../domain/lifecycle';
import {
  awaiting,
  decide,
  isDeadlineConsequence,
  needsFilingNumber,
  nextDeadline,
  phase,
  type Command,
  type TransferState,
} from '../../domain/transfer';
import { applicant, reviewer } from '../fixtures';
import { active, draft, filed, pack, rob, run, t0 } from './machine';

const cancel: Command = {
  type: 'cancel_execution',
  by: 'ops:olga',
  reason: 'duplicate case, closed in the UI',
};

const submitted = () => run(draft(), [{ type: 'submit', actor: applicant }]);
const cases: [string, () => TransferState][] = [
  ['draft', () => draft()],
  ['completeness_check', submitted],
  [
    'awaiting_supplement',
    () =>
      run(submitted(), [
        {
          type: 'completeness',
          actor: reviewer,
          decision: 'request_supplement',
          items: [{ field: 'purpose', request: 'why' }],
        },
      ]),
  ],
  ['active', () => active()],
  ['suspended', () => run(active(), [{ type: 'supervise', actor: rob, kind: 'suspend', reason: 'stop' }])],
];

describe('cancel_execution', () => {
  test.each(cases)(
    'from %s: cancelled, recorded by the system, no deadlines, nobody awaited',
    (status, make) => {
      const s = make();
      expect(s.status).toBe(status);
      const out = run(s, [cancel]);
      expect(out.status).toBe('cancelled');
      expect(transitions[s.status]).toContain('cancelled');
      expect(out.decisions.at(-1)).toEqual({
        action: 'cancel_execution',
        by: 'ops:olga',
        role: 'system',
        at: new Date(t0).toISOString(),
        reason: 'duplicate case, closed in the UI',
        details: { from: status },
        kind: 'external',
      });
      expect(isDeadlineConsequence(out.decisions.at(-1)!)).toBe(false);
      expect(out.deadlines).toEqual([]);
      expect(nextDeadline(out)).toBeUndefined();
      expect(awaiting(out)).toEqual([]);
      expect(phase(out)).toBe('closed');
      expect(out.supplementRequests.every((r) => r.status !== 'open')).toBe(true);
    },
  );

  test('without who or why, the system and a plain reason are recorded', () => {
    const out = run(draft(), [{ type: 'cancel_execution' }]);
    expect(out.decisions.at(-1)).toMatchObject({ by: 'system', role: 'system', reason: expect.any(String) });
  });

  test('cancelled is terminal: nothing moves it, not even another cancellation', () => {
    const out = run(active(), [cancel]);
    expect(isTerminal('cancelled')).toBe(true);
    expect(phaseOf('cancelled')).toBe('closed');
    expect(transitions.cancelled).toEqual([]);
    const again = decide(out, cancel, t0, pack);
    expect(again.ok ? 'ok' : again.refusal.kind).toBe('wrong-phase');
    const report = decide(
      out,
      {
        type: 'report_incident',
        actor: applicant,
        severity: 'low',
        occurredAt: new Date(t0 - 1).toISOString(),
        description: 'x',
      },
      t0,
      pack,
    );
    expect(report.ok ? 'ok' : report.refusal.kind).toBe('wrong-phase');
  });

  test('cancelled between the filing’s acceptance and its number: no number is issued, nothing reopens it', () => {
    const accepted = run(filed(), [{ type: 'filing_decision', actor: rob, decision: 'accept' }]);
    expect(needsFilingNumber(accepted)).toBe(true);
    const out = run(accepted, [cancel]);
    expect(needsFilingNumber(out)).toBe(false);
    const numbered = decide(out, { type: 'filing_number_issued', filingNumber: 'XB-2026-000001' }, t0, pack);
    expect(numbered.ok ? numbered.state.status : numbered.refusal.kind).toBe('conflict');
  });

  test('a closed transfer is not cancelled', () => {
    const withdrawn = run(draft(), [{ type: 'withdraw', actor: applicant, reason: 'changed plans' }]);
    const out = decide(withdrawn, cancel, t0, pack);
    expect(out.ok ? 'ok' : out.refusal.kind).toBe('wrong-phase');
  });
});
