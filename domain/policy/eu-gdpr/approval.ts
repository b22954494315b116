/**
 * Whether an eu-gdpr transfer may be approved: a lawful route on every hop and, where a TIA is required, a TIA
 * that does not block (EU-5 is a hard gate, EU-GDPR.md §9 "Outcomes").
 */
import type { EuGdprFacts } from './facts';
import { flattenHops, type EuRouteAnswer } from './routes';
import { evaluateTia, type TiaEvaluation, type TiaOptions } from './tia';

export interface ApprovalBlocker {
  hop: string;
  text: string;
  source: string;
}

export interface ApprovalGate {
  approvable: boolean;
  blockers: ApprovalBlocker[];
  /** the TIA evaluation of every hop that needs one, by hop path ('' = hop 0) */
  tia: Record<string, TiaEvaluation>;
}

export function approvalGate(facts: EuGdprFacts, answer: EuRouteAnswer, opts: TiaOptions): ApprovalGate {
  const blockers: ApprovalBlocker[] = [];
  const tia: Record<string, TiaEvaluation> = {};
  if (answer.route === 'needs_info')
    blockers.push({
      hop: '',
      text: `facts missing: ${answer.needsInfo.map((m) => m.field).join(', ')}`,
      source: 'EU-GDPR.md §2 "Unknown facts"',
    });
  if (answer.route === 'not_permitted')
    blockers.push({
      hop: '',
      text: `not permitted: ${answer.hops
        .filter((h) => h.route === 'not_permitted')
        .map((h) => `${h.path || '(hop 0)'}: ${h.rules.at(-1)?.reason ?? ''}`)
        .join('; ')}`,
      source: 'GDPR Art. 44 [E1]; EU-GDPR.md §2',
    });
  if (answer.route === 'no_transfer')
    blockers.push({
      hop: '',
      text: 'not a restricted transfer: Chapter V does not apply, nothing to approve under it',
      source: 'EU-GDPR.md §0',
    });
  const byPath = new Map(flattenHops(facts).map((h) => [h.path, h.facts]));
  for (const hop of answer.hops) {
    // a TIA is evaluated where the route needs one, and where EU-5 made the tool fail (to show why)
    const gateFired = hop.rules.some((r) => r.id === 'EU-5' && r.outcome === 'holds');
    if (hop.tiaRequired !== true && !gateFired) continue;
    const evaluation = evaluateTia(byPath.get(hop.path)?.tia, opts);
    tia[hop.path] = evaluation;
    for (const f of evaluation.findings)
      if (f.severity === 'block')
        blockers.push({ hop: hop.path, text: `TIA (${f.step}): ${f.text}`, source: f.source });
  }
  return { approvable: blockers.length === 0, blockers, tia };
}
