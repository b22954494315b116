/** The automated completeness check (受理): which materials the route requires and which are missing or stale. */
import type { MaterialKind, PartialApplication } from './application';
import { dateOf, dayNumber, localDay } from './calendar';
import type { ApprovalRoute, PolicyPack } from './policy';

export interface Finding {
  material: MaterialKind;
  problem: 'missing' | 'stale' | 'undated' | 'unknown_document';
  detail: string;
}

/** Kinds required on submission for a route. */
export function materialsRequired(route: ApprovalRoute | null, pack: PolicyPack): MaterialKind[] {
  if (!route) return [];
  return pack.materials[route].filter((m) => m.required && !m.atFiling).map((m) => m.kind);
}

/** Same day-of-month N months earlier (clamped to the month's last day). */
export function monthsBefore(date: string, months: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const idx = y * 12 + (m - 1) - months;
  const ty = Math.floor(idx / 12);
  const tm = idx % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return dateOf(
    dayNumber(`${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`),
  );
}

/**
 * Findings for an application on a route at `nowMs`. `unknownDocuments` are ids the evidence store does not
 * hold (the workflow asks an activity).
 */
export function checkMaterials(
  app: PartialApplication,
  route: ApprovalRoute,
  pack: PolicyPack,
  nowMs: number,
  unknownDocuments: readonly string[] = [],
): Finding[] {
  if (pack.flow) return pack.flow.checkMaterials(app, nowMs);
  const findings: Finding[] = [];
  const today = dateOf(localDay(nowMs, pack.calendar));
  const materials = app.materials ?? [];
  for (const rule of pack.materials[route]) {
    if (rule.atFiling) continue;
    const given = materials.filter((m) => m.kind === rule.kind);
    if (given.length === 0) {
      if (rule.required)
        findings.push({ material: rule.kind, problem: 'missing', detail: `${rule.kind} is required` });
      continue;
    }
    for (const m of given) {
      if (unknownDocuments.includes(m.documentId)) {
        findings.push({
          material: rule.kind,
          problem: 'unknown_document',
          detail: `${m.documentId} was never uploaded`,
        });
      }
      if (rule.maxAgeMonths !== undefined) {
        if (!m.issuedOn) {
          findings.push({
            material: rule.kind,
            problem: 'undated',
            detail: `${rule.kind} needs issuedOn (at most ${rule.maxAgeMonths} months old)`,
          });
        } else if (m.issuedOn < monthsBefore(today, rule.maxAgeMonths)) {
          findings.push({
            material: rule.kind,
            problem: 'stale',
            detail: `${rule.kind} issued ${m.issuedOn} is older than ${rule.maxAgeMonths} months`,
          });
        }
      }
    }
  }
  return findings;
}
