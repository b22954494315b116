/**
 * Facts for the eu-gdpr tests, written from EU-GDPR.md (not from the code): a German controller sending by
 * transmission to a separate processor in India (no adequacy decision, §3), on the status date 2026-11-28, with
 * every tool explicitly absent ("none is explicit", §1). Each test states only what it changes.
 */
import type { EuGdprFacts, OnwardHopFacts } from '../../domain/policy/eu-gdpr';

export const STATUS_DATE = '2026-11-28';

export function facts(over: Partial<EuGdprFacts> = {}): EuGdprFacts {
  return {
    transferDate: STATUS_DATE,
    exporter: { country: 'DE', role: 'controller', publicAuthorityExercisingPublicPowers: false },
    disclosureMeans: 'transmission',
    importer: { country: 'IN', role: 'processor', sameLegalEntityAsExporter: false },
    bcr: null,
    scc: null,
    otherArt46: null,
    derogation: null,
    dataCategories: ['customer contact data'],
    specialCategories: [],
    ...over,
  };
}

/** An importer in `country` (separate entity), with scope facts. */
export const importer = (
  country: string,
  extra: NonNullable<EuGdprFacts['importer']> = {},
): NonNullable<EuGdprFacts['importer']> => ({
  country,
  role: 'processor',
  sameLegalEntityAsExporter: false,
  ...extra,
});

/** Signed, unmodified 2021/914 SCCs with complete annexes. */
export const scc = (module: 'M1' | 'M2' | 'M3' | 'M4', extra: object = {}) => ({
  signed: true,
  module,
  version: '2021/914',
  textUnmodified: true,
  annexesComplete: true,
  ...extra,
});

export const effectiveTia = {
  done: true,
  date: '2026-11-01',
  outcome: 'effective' as const,
};

/** An onward hop with every tool explicitly absent. */
export function hop(recipientName: string, over: Partial<OnwardHopFacts> = {}): OnwardHopFacts {
  return {
    recipientName,
    importer: importer('CN', { role: 'processor' }),
    bcr: null,
    scc: null,
    otherArt46: null,
    derogation: null,
    ...over,
  };
}

/** An active EU-U.S. DPF record of the exact entity covering non-HR data. */
export const dpf = (over: object = {}) => ({
  status: 'active' as const,
  framework: 'eu-us' as const,
  coveredData: ['non_hr' as const],
  entityMatches: true,
  ...over,
});
