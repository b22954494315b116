/**
 * The adequacy register (EU-GDPR.md §3) as data: each decision with the dates it is in force and the scope
 * requirements the recipient must meet, evaluated on the transfer date (rule EU-1).
 */
import { all, at, fails, holds, unknown, type Check } from './check';
import { within } from './dates';
import { EEA_EFTA_STATES, type HopFacts } from './facts';

/**
 * The GDPR's date of application (Art. 99(2)). The pre-GDPR decisions stay in force under it (Art. 45(9)); this
 * pack treats them as in force from that day because EU-GDPR.md gives no adoption date for most of them and a
 * transfer before it is not governed by this pack anyway.
 */
export const GDPR_APPLICABLE_FROM = '2018-05-25';

/** A requirement on a hop's facts: the fact at `fact` (a path in the hop) must be… */
export type ScopeRequirement =
  | { fact: string; is: boolean; reason: string; outOfScope: string }
  | { fact: string; oneOf: readonly string[]; reason: string; outOfScope: string }
  /** an array fact must include `whenTrue` when the boolean at `by` is true, else `whenFalse` */
  | {
      fact: string;
      includesBy: { by: string; whenTrue: string; whenFalse: string };
      reason: string;
      outOfScope: string;
    };

export interface AdequacyDecision {
  /** register id: the §3 table's id, with a suffix where one destination had several instruments */
  id: string;
  destination: { country: string } | { io: string };
  name: string;
  instrument: string;
  /** first day in force (inclusive) */
  inForceFrom: string;
  /** how `inForceFrom` was chosen when the document gives no entry-into-force date */
  inForceFromNote?: string;
  /** last day in force (inclusive); absent: no end date */
  inForceUntil?: string;
  requires: readonly ScopeRequirement[];
  /** §3 "Not covered / notes", shown to the reviewer */
  notCovered: readonly string[];
  /**
   * Whether the decision is confirmed to apply to exporters in Iceland, Liechtenstein and Norway (EEA Joint
   * Committee incorporation). EU-GDPR.md §11.4: not confirmed for decisions adopted after mid-2025.
   */
  eeaEfta: 'applies' | 'not_confirmed';
  /** the destination's own onward-transfer rules the adequacy finding covers (chain rule) */
  onwardRules?: string;
  source: string;
}

const legacy = (
  id: string,
  country: string,
  name: string,
  instrument: string,
  extra: Partial<AdequacyDecision> = {},
): AdequacyDecision => ({
  id,
  destination: { country },
  name,
  instrument,
  inForceFrom: GDPR_APPLICABLE_FROM,
  inForceFromNote:
    'pre-GDPR decision kept in force by Art. 45(9) and the first periodic review COM(2024) 7: in force under the GDPR from its date of application',
  requires: [],
  notCovered: [],
  eeaEfta: 'applies',
  source: '[E11][E16]',
  ...extra,
});

const dpfActive = ['active', 'active_recertification_under_review'] as const;

/** The register as read on 2026-08-05 [E16], status date 2026-11-28. */
export const adequacyRegister: readonly AdequacyDecision[] = [
  legacy('AD', 'AD', 'Andorra', 'Decision 2010/625/EU'),
  legacy('AR', 'AR', 'Argentina', 'Decision 2003/490/EC'),
  {
    id: 'BR',
    destination: { country: 'BR' },
    name: 'Brazil',
    instrument: 'Implementing Decision (EU) 2026/179 of 26 Jan 2026, C(2026) 373; OJ 28 Jan 2026',
    inForceFrom: '2026-01-28',
    inForceFromNote:
      'EU-GDPR.md gives adoption (26 Jan 2026) and OJ publication (28 Jan 2026) but no entry-into-force date: the later date is used',
    requires: [
      {
        fact: 'importer.scopeFacts.br.subjectToLGPD',
        is: true,
        reason: 'whether the recipient is a controller or processor subject to the LGPD',
        outOfScope: 'the recipient is not subject to the LGPD',
      },
    ],
    notCovered: [
      'LGPD generally excludes processing by public authorities solely for public safety, national defence, State security, criminal investigation',
    ],
    eeaEfta: 'not_confirmed',
    source: '[E15][E16]',
  },
  legacy('CA', 'CA', 'Canada (commercial organisations)', 'Decision 2002/2/EC (20 Dec 2001)', {
    requires: [
      {
        fact: 'importer.scopeFacts.subjectToPIPEDA',
        is: true,
        reason:
          'whether the recipient is a private-sector organisation subject to PIPEDA handling the data in the course of commercial activities',
        outOfScope:
          'the recipient is not under PIPEDA (federal Privacy Act or provincial public-sector bodies, non-commercial activity, non-commercial employment data are not covered)',
      },
    ],
    notCovered: [
      'bodies under the federal Privacy Act or provincial public-sector rules',
      'non-profit and charitable activity unless commercial',
      'employment data used for non-commercial purposes (except federally regulated employers)',
    ],
    source: '[E6]',
  }),
  legacy('CH', 'CH', 'Switzerland', 'Decision 2000/518/EC'),
  legacy('FO', 'FO', 'Faroe Islands', 'Decision 2010/146/EU'),
  legacy('GG', 'GG', 'Guernsey', 'Decision 2003/821/EC'),
  legacy('IM', 'IM', 'Isle of Man', 'Decision 2004/411/EC'),
  legacy('IL', 'IL', 'Israel', 'Decision 2011/61/EU (31 Jan 2011)', {
    requires: [
      {
        fact: 'importer.scopeFacts.il.automated',
        is: true,
        reason:
          'whether the transfer is automated, or non-automated but followed by automated processing in Israel',
        outOfScope: 'a manual transfer with manual processing only is not covered',
      },
    ],
    notCovered: ['manual transfers with manual processing only'],
    source: '[E10]',
  }),
  legacy('JE', 'JE', 'Jersey', 'Decision 2008/393/EC'),
  {
    id: 'JP',
    destination: { country: 'JP' },
    name: 'Japan',
    instrument: 'Decision (EU) 2019/419 (23 Jan 2019)',
    inForceFrom: '2019-01-23',
    inForceFromNote:
      'EU-GDPR.md gives no date; 23 Jan 2019 is the decision date read from a secondary source (verify)',
    requires: [
      {
        fact: 'importer.scopeFacts.jp.isPIHBO',
        is: true,
        reason:
          'whether the recipient is a personal information handling business operator under the APPI, bound by the Supplementary Rules',
        outOfScope:
          'the recipient is not a PIHBO (Japanese public-sector bodies and the APPI Art. 76 sectoral exclusions are not covered)',
      },
    ],
    notCovered: [
      'Japanese public-sector bodies',
      'APPI Art. 76 sectoral exclusions (press, writers, religious and political bodies for certain purposes): handing data to such an entity is an onward transfer',
    ],
    eeaEfta: 'applies',
    onwardRules:
      'Supplementary Rule (4): consent informed of the destination, or APPI-equivalent measures [E9]',
    source: '[E9][E16]',
  },
  {
    id: 'KR',
    destination: { country: 'KR' },
    name: 'Republic of Korea',
    instrument: 'Implementing Decision (EU) 2022/254 (17 Dec 2021)',
    inForceFrom: '2021-12-17',
    inForceFromNote:
      'EU-GDPR.md gives the decision date (17 Dec 2021) but no entry-into-force date: that date is used',
    requires: [
      {
        fact: 'importer.scopeFacts.kr.creditInfoUnderFSC',
        is: false,
        reason:
          'whether the data is personal credit information under the Credit Information Act processed by a controller overseen by the Financial Services Commission',
        outOfScope:
          'personal credit information under the Credit Information Act by an FSC-supervised controller is not covered',
      },
      {
        fact: 'importer.scopeFacts.kr.religiousMissionary',
        is: false,
        reason: 'whether the processing is for missionary activities by a religious organisation',
        outOfScope: 'processing for missionary activities by religious organisations is not covered',
      },
      {
        fact: 'importer.scopeFacts.kr.politicalNomination',
        is: false,
        reason: 'whether the processing is the nomination of candidates by a political party',
        outOfScope: 'nomination of candidates by political parties is not covered',
      },
    ],
    notCovered: [
      'processing for missionary activities by religious organisations',
      'nomination of candidates by political parties',
      'personal credit information under the Credit Information Act by controllers overseen by the FSC',
    ],
    eeaEfta: 'applies',
    source: '[E7][E16]',
  },
  legacy('NZ', 'NZ', 'New Zealand', 'Decision 2013/65/EU'),
  {
    id: 'UK-2021',
    destination: { country: 'GB' },
    name: 'United Kingdom',
    instrument: 'Implementing Regulation (EU) 2021/1772 (28 Jun 2021), technical extension to 27 Dec 2025',
    inForceFrom: '2021-06-28',
    inForceUntil: '2025-12-27',
    requires: [
      {
        fact: 'importer.scopeFacts.uk.immigrationControl',
        is: false,
        reason: 'whether the data is processed for UK immigration control (excluded by the 2021 text)',
        outOfScope: 'data for UK immigration control was excluded by the 2021 text (recital 6)',
      },
    ],
    notCovered: ['data for UK immigration control (recital 6; removed by the 2025 renewal)'],
    eeaEfta: 'applies',
    source: '[E8][E16]',
  },
  {
    id: 'UK-2025',
    destination: { country: 'GB' },
    name: 'United Kingdom (renewal)',
    instrument: 'Renewal of 19 Dec 2025, C(2025) 8771 (GDPR) + C(2025) 8782 (LED), valid to 27 Dec 2031',
    inForceFrom: '2025-12-19',
    inForceFromNote: 'EU-GDPR.md gives the renewal date (19 Dec 2025) only: that date is used',
    inForceUntil: '2031-12-27',
    requires: [],
    notCovered: [],
    eeaEfta: 'not_confirmed',
    source: '[E8][E16]',
  },
  {
    id: 'US',
    destination: { country: 'US' },
    name: 'United States (EU-U.S. Data Privacy Framework participants only)',
    instrument: 'Implementing Decision (EU) 2023/1795 (10 Jul 2023), EU-U.S. Data Privacy Framework',
    inForceFrom: '2023-07-10',
    inForceFromNote:
      'EU-GDPR.md gives the decision date (10 Jul 2023) but no entry-into-force date: that date is used',
    requires: [
      {
        fact: 'importer.scopeFacts.dpf.entityMatches',
        is: true,
        reason: 'whether the DPF List record names the exact contracting US legal entity',
        outOfScope:
          "the DPF record does not name the exact contracting entity (a parent's listing does not cover a subsidiary)",
      },
      {
        fact: 'importer.scopeFacts.dpf.status',
        oneOf: dpfActive,
        reason: "the entity's DPF List status",
        outOfScope: 'the entity is not Active on the DPF List (inactive or removed = not covered)',
      },
      {
        fact: 'importer.scopeFacts.dpf.framework',
        oneOf: ['eu-us'],
        reason: 'which DPF framework row was checked',
        outOfScope:
          'the record is not on the EU-U.S. DPF row (the UK Extension and Swiss-U.S. DPF are separate frameworks)',
      },
      {
        fact: 'importer.scopeFacts.dpf.coveredData',
        includesBy: { by: 'hrData', whenTrue: 'hr', whenFalse: 'non_hr' },
        reason:
          'the covered data of the DPF record (HR / non-HR) and whether the transferred data is HR data',
        outOfScope: 'the DPF certification does not cover the category transferred (HR / non-HR data)',
      },
    ],
    notCovered: [
      'entities outside FTC or DoT jurisdiction cannot join',
      'Inactive or removed entities (they must keep applying the Principles to data already received)',
      'UK Extension and Swiss-U.S. DPF are separate frameworks',
    ],
    eeaEfta: 'applies',
    onwardRules: 'DPF Accountability for Onward Transfer principle [E12]',
    source: '[E12][E16]',
  },
  legacy('UY', 'UY', 'Uruguay', 'Implementing Decision 2012/484/EU'),
  {
    id: 'EPO',
    destination: { io: 'EPO' },
    name: 'European Patent Organisation',
    instrument: 'Commission decision C(2025) 4626 of 15 Jul 2025 (the first IO adequacy decision)',
    inForceFrom: '2025-07-15',
    inForceFromNote: 'EU-GDPR.md gives the decision date (15 Jul 2025) only: that date is used',
    requires: [],
    notCovered: [],
    eeaEfta: 'not_confirmed',
    source: '[E14][E16]',
  },
];

/** A fact of a hop by its dotted path. */
export function factAt(hop: HopFacts, path: string): unknown {
  let v: unknown = hop;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function requirementCheck(hop: HopFacts, prefix: string, r: ScopeRequirement): Check {
  const value = factAt(hop, r.fact);
  if (value === undefined || value === null) return unknown(at(prefix, r.fact), r.reason);
  if ('is' in r) return value === r.is ? holds(r.reason) : fails(r.outOfScope);
  if ('oneOf' in r) return r.oneOf.includes(value as string) ? holds(r.reason) : fails(r.outOfScope);
  const by = factAt(hop, r.includesBy.by);
  if (typeof by !== 'boolean') return unknown(at(prefix, r.includesBy.by), r.reason);
  const needed = by ? r.includesBy.whenTrue : r.includesBy.whenFalse;
  return Array.isArray(value) && value.includes(needed) ? holds(r.reason) : fails(r.outOfScope);
}

export interface AdequacyResult {
  check: Check;
  /** the decision the recipient is covered by (when the check holds) */
  decision?: AdequacyDecision;
  /** what was considered, for the explanation */
  notes: string[];
}

const matches = (d: AdequacyDecision, hop: HopFacts): boolean =>
  'io' in d.destination
    ? hop.importer?.io === d.destination.io
    : hop.importer?.io === undefined && hop.importer?.country === d.destination.country;

const period = (d: AdequacyDecision): string => `${d.inForceFrom} – ${d.inForceUntil ?? 'no end date'}`;

/**
 * EU-1: the destination has an adequacy decision in force on the transfer date AND the recipient is inside its
 * scope. `exporterCountry` is hop 0's exporter (for the EEA EFTA question, §11.4).
 */
export function adequacyCheck(
  hop: HopFacts,
  prefix: string,
  transferDate: string | undefined,
  exporterCountry: string | undefined,
  register: readonly AdequacyDecision[],
): AdequacyResult {
  if (hop.importer?.io === undefined && hop.importer?.country === undefined)
    return {
      check: unknown(at(prefix, 'importer.country'), "the importer's country (or importer.io)"),
      notes: [],
    };
  const destination = hop.importer.io ?? hop.importer.country!;
  const candidates = register.filter((d) => matches(d, hop));
  if (candidates.length === 0) return { check: fails(`no adequacy decision for ${destination}`), notes: [] };
  if (transferDate === undefined)
    return {
      check: unknown(
        at(prefix, 'transferDate'),
        'the transfer date (adequacy decisions have start and end dates)',
      ),
      notes: [],
    };
  const notes: string[] = [];
  const inForce = candidates.filter((d) => {
    const ok = within(transferDate, d.inForceFrom, d.inForceUntil);
    if (!ok) notes.push(`${d.id} (${d.instrument}) is not in force on ${transferDate}: ${period(d)}`);
    return ok;
  });
  const eeaEftaExporter = exporterCountry !== undefined && EEA_EFTA_STATES.includes(exporterCountry);
  const applicable = inForce.filter((d) => {
    if (eeaEftaExporter && d.eeaEfta === 'not_confirmed') {
      notes.push(
        `${d.id}: incorporation into the EEA Agreement is not confirmed for an exporter in ${exporterCountry} (EU-GDPR.md §11.4); not relied on`,
      );
      return false;
    }
    return true;
  });
  if (applicable.length === 0) {
    const why =
      inForce.length === 0
        ? `no adequacy decision for ${destination} in force on ${transferDate}`
        : `no adequacy decision for ${destination} applies to an exporter in ${exporterCountry}`;
    return { check: fails(why), notes };
  }
  let firstFail: Check | undefined;
  let unknownCheck: Check | undefined;
  for (const d of applicable) {
    const c = all(
      d.requires.map((r) => () => requirementCheck(hop, prefix, r)),
      `${d.name}: ${d.instrument}, in force on ${transferDate}; recipient within its scope`,
    );
    if (c.state === 'holds') return { check: c, decision: d, notes };
    if (c.state === 'unknown') unknownCheck ??= c;
    else {
      notes.push(`${d.id}: ${c.why}`);
      firstFail ??= fails(`${d.name}: ${c.why}`);
    }
  }
  return { check: unknownCheck ?? firstFail!, notes };
}
