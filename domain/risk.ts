/**
 * The risk score (DOMAIN.md "Risk score"): explainable, deterministic, versioned. Hard gates first, then a
 * weighted sum of factors, each shown with its contribution; the level follows from the total.
 */
import type { PartialApplication } from './application';
import type { PolicyPack } from './policy';
import type { Route } from './policy';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface RiskFactor {
  factor:
    'destination' | 'sensitivity' | 'volume' | 'recipient_capability' | 'onward_transfers' | 'mitigation';
  detail: string;
  contribution: number;
}

export interface RiskAssessment {
  score: number;
  level: RiskLevel;
  factors: RiskFactor[];
  /** reasons approval is blocked whatever the score */
  gates: string[];
  policy: { id: string; version: string };
}

export interface RiskWeights {
  version: string;
  /** contribution per destination tier; countries not listed are `default` */
  countryTiers: Readonly<Record<string, 'tier1' | 'tier2' | 'tier3'>>;
  tierContribution: Readonly<Record<'tier1' | 'tier2' | 'tier3', number>>;
  /** category keyword → contribution; the highest matching category counts */
  sensitivity: readonly { match: RegExp; label: string; contribution: number }[];
  sensitiveDefault: number;
  nonSensitive: number;
  volume: Readonly<Record<'below_thresholds' | 'contract_band' | 'assessment_band', number>>;
  /** certifications that lower risk, each by `perCertification`, at most `maxCredit` */
  recognisedCertifications: readonly string[];
  perCertification: number;
  maxCapabilityCredit: number;
  onwardPerHop: number;
  onwardWithoutMechanism: number;
  encryptionCredit: number;
  pseudonymisationCredit: number;
  noTransitEncryption: number;
  /** level thresholds: score < medium → low, < high → medium, < critical → high, else critical */
  levels: Readonly<Record<'medium' | 'high' | 'critical', number>>;
  /** recipients (by id) and destinations on a restriction list: approval blocked */
  restrictedRecipients: readonly string[];
  restrictedCountries: readonly string[];
}

function volumeBand(app: PartialApplication, pack: PolicyPack): keyof RiskWeights['volume'] {
  const i = app.volume?.individualsYtd ?? 0;
  const s = app.volume?.sensitiveIndividualsYtd ?? 0;
  const t = pack.thresholds;
  if (i >= t.securityAssessmentIndividuals || s >= t.securityAssessmentSensitive) return 'assessment_band';
  if (i >= t.contractIndividuals || s >= t.contractSensitive) return 'contract_band';
  return 'below_thresholds';
}

export function levelOf(score: number, w: RiskWeights): RiskLevel {
  if (score >= w.levels.critical) return 'critical';
  if (score >= w.levels.high) return 'high';
  if (score >= w.levels.medium) return 'medium';
  return 'low';
}

export function scoreRisk(app: PartialApplication, route: Route | null, pack: PolicyPack): RiskAssessment {
  const w = pack.risk;
  const factors: RiskFactor[] = [];
  const gates: string[] = [];
  const country = app.recipient?.country ?? '??';
  if (w.restrictedRecipients.includes(app.recipient?.id ?? ''))
    gates.push(`recipient ${app.recipient?.id} is on the restriction list`);
  if (w.restrictedCountries.includes(country))
    gates.push(`destination ${country} is on the restriction list`);
  if (route === null) gates.push('no valid route');

  const tier = w.countryTiers[country] ?? 'tier3';
  factors.push({
    factor: 'destination',
    detail: `${country}: ${tier}`,
    contribution: w.tierContribution[tier],
  });

  const categories = app.dataCategories ?? [];
  let sens = { label: 'no sensitive categories', contribution: w.nonSensitive };
  for (const c of categories) {
    if (!c.sensitive) continue;
    const hit = w.sensitivity.find((s) => s.match.test(c.category));
    const candidate = hit
      ? { label: `${c.category} (${hit.label})`, contribution: hit.contribution }
      : { label: `${c.category} (sensitive)`, contribution: w.sensitiveDefault };
    if (candidate.contribution > sens.contribution) sens = candidate;
  }
  factors.push({ factor: 'sensitivity', detail: sens.label, contribution: sens.contribution });

  const band = volumeBand(app, pack);
  factors.push({ factor: 'volume', detail: band.replace(/_/g, ' '), contribution: w.volume[band] });

  const certs = (app.recipient?.certifications ?? []).filter((c) =>
    w.recognisedCertifications.some((r) => c.toUpperCase().replace(/[\s-]/g, '').includes(r)),
  );
  const credit = Math.min(certs.length * w.perCertification, w.maxCapabilityCredit);
  factors.push({
    factor: 'recipient_capability',
    detail: certs.length ? `recognised: ${certs.join(', ')}` : 'no recognised certification',
    contribution: -credit,
  });

  const hops = app.transfer?.onwardTransfers ?? [];
  const bare = hops.filter((h) => !h.mechanism).length;
  factors.push({
    factor: 'onward_transfers',
    detail: hops.length ? `${hops.length} onward hop(s), ${bare} without a mechanism` : 'none',
    contribution: hops.length * w.onwardPerHop + bare * w.onwardWithoutMechanism,
  });

  const s = app.safeguards;
  let mitigation = 0;
  const notes: string[] = [];
  if (s?.encryptionInTransit === false) {
    mitigation += w.noTransitEncryption;
    notes.push('no encryption in transit');
  }
  if (s?.encryptionInTransit && s.encryptionAtRest && s.keysHeldBy === 'exporter') {
    mitigation -= w.encryptionCredit;
    notes.push('encrypted in transit and at rest, keys held by the exporter');
  }
  if (s?.pseudonymised) {
    mitigation -= w.pseudonymisationCredit;
    notes.push('pseudonymised, mapping kept here');
  }
  factors.push({ factor: 'mitigation', detail: notes.join('; ') || 'no credit', contribution: mitigation });

  const score = Math.max(
    0,
    factors.reduce((sum, f) => sum + f.contribution, 0),
  );
  return {
    score,
    level: levelOf(score, w),
    factors,
    gates,
    policy: { id: pack.id, version: `${pack.version}/risk-${w.version}` },
  };
}
