/**
 * Materials per route (EU-GDPR.md §8) for the completeness check: the table as data, and the list one answer
 * needs given its facts (destination scope evidence, SCC module, TIA need, derogation basis).
 */
import type { DerogationBasis, EuGdprFacts } from './facts';
import type { EuRouteAnswer } from './routes';

export const euMaterialKinds = [
  // adequacy
  'dpf_list_record',
  'pipeda_applicability_statement',
  'appi_pihbo_statement',
  'kr_not_credit_information_statement',
  'lgpd_applicability_statement',
  'scope_evidence',
  'art30_record_entry',
  'privacy_notice_text',
  'art28_dpa',
  'onward_transfer_map',
  // scc
  'scc_signed',
  'scc_annex_i',
  'scc_annex_ii',
  'scc_annex_iii',
  'tia_report',
  'government_access_policy',
  'm4_no_combination_statement',
  // bcr
  'bcr_sa_approval',
  'bcr_version',
  'bcr_member_list',
  'bcr_scope_extract',
  'intra_group_agreement',
  // other_art46
  'art46_instrument',
  'sa_authorisation',
  'binding_commitment',
  // derogation
  'derogation_basis_statement',
  'necessity_note',
  'occasional_justification',
  'consent_record',
  'contract_reference',
  'public_interest_provision',
  'procedure_reference',
  'incapacity_evidence',
  'register_consultation_conditions',
  'cli_balancing',
  'cli_safeguards',
  'sa_notification_copy',
  'data_subject_notice_copy',
] as const;
export type EuMaterialKind = (typeof euMaterialKinds)[number];

export interface EuMaterialRule {
  kind: EuMaterialKind;
  required: boolean;
  /** when the material is needed, in words (conditional materials) */
  when?: string;
}

export type EuApprovalRoute = 'adequacy' | 'scc' | 'bcr' | 'other_art46' | 'derogation';

/** The §8 table. Conditional rows carry `when`; `materialsFor` resolves them for one application. */
export const euMaterialTable: Readonly<Record<EuApprovalRoute, readonly EuMaterialRule[]>> = {
  adequacy: [
    { kind: 'scope_evidence', required: true, when: 'evidence the recipient is inside the decision scope' },
    {
      kind: 'dpf_list_record',
      required: true,
      when: 'US: entity, framework row, status, covered data, check date',
    },
    { kind: 'pipeda_applicability_statement', required: true, when: 'Canada' },
    { kind: 'appi_pihbo_statement', required: true, when: 'Japan' },
    {
      kind: 'kr_not_credit_information_statement',
      required: true,
      when: 'Korea: not Credit-Information-Act credit data processed by an FSC-supervised controller',
    },
    { kind: 'lgpd_applicability_statement', required: true, when: 'Brazil' },
    { kind: 'art30_record_entry', required: true, when: 'naming the decision' },
    { kind: 'privacy_notice_text', required: true, when: 'Art. 13(1)(f) / 14(1)(f)' },
    { kind: 'art28_dpa', required: false, when: 'the importer is a processor' },
    { kind: 'onward_transfer_map', required: false, when: 'onward transfers' },
  ],
  scc: [
    { kind: 'scc_signed', required: true, when: 'SCCs 2021/914, module, parties' },
    {
      kind: 'scc_annex_i',
      required: true,
      when: 'I.A/I.B/I.C incl. sensitive-data restrictions, onward recipients, competent SA',
    },
    { kind: 'scc_annex_ii', required: true, when: 'technical and organisational measures' },
    { kind: 'scc_annex_iii', required: true, when: 'M2/M3: sub-processors' },
    {
      kind: 'tia_report',
      required: true,
      when: 'Clause 14(d), with laws assessed and measures (not for a pure M4 return)',
    },
    { kind: 'art30_record_entry', required: true },
    { kind: 'privacy_notice_text', required: true },
    {
      kind: 'government_access_policy',
      required: false,
      when: "importer's government-access policy or transparency data (Clause 15)",
    },
    {
      kind: 'm4_no_combination_statement',
      required: false,
      when: 'M4: no EU-collected data is combined (then no TIA)',
    },
  ],
  bcr: [
    { kind: 'bcr_sa_approval', required: true, when: 'SA approval reference (+ EDPB opinion reference)' },
    { kind: 'bcr_version', required: true },
    { kind: 'bcr_member_list', required: true, when: 'showing both parties' },
    { kind: 'bcr_scope_extract', required: true, when: 'categories, purposes, countries' },
    { kind: 'tia_report', required: true },
    { kind: 'art30_record_entry', required: true },
    { kind: 'privacy_notice_text', required: true },
    { kind: 'intra_group_agreement', required: false },
  ],
  other_art46: [
    { kind: 'art46_instrument', required: true },
    {
      kind: 'sa_authorisation',
      required: true,
      when: 'Art. 46(3) ad hoc clauses or administrative arrangement',
    },
    {
      kind: 'binding_commitment',
      required: true,
      when: "codes and certifications: the importer's binding commitment",
    },
    { kind: 'tia_report', required: true },
  ],
  derogation: [
    { kind: 'derogation_basis_statement', required: true, when: 'basis (a–g / CLI)' },
    { kind: 'necessity_note', required: true },
    { kind: 'occasional_justification', required: true },
    {
      kind: 'consent_record',
      required: true,
      when: '(a): text shown incl. risk notice, timestamp, specificity, withdrawal route',
    },
    { kind: 'contract_reference', required: true, when: '(b), (c)' },
    { kind: 'procedure_reference', required: true, when: '(e)' },
    {
      kind: 'public_interest_provision',
      required: true,
      when: '(d): legal provision of the public interest',
    },
    { kind: 'incapacity_evidence', required: true, when: '(f)' },
    {
      kind: 'register_consultation_conditions',
      required: true,
      when: '(g): register and consultation conditions',
    },
    { kind: 'cli_balancing', required: true, when: 'CLI' },
    { kind: 'cli_safeguards', required: true, when: 'CLI' },
    { kind: 'sa_notification_copy', required: true, when: 'CLI' },
    { kind: 'data_subject_notice_copy', required: true, when: 'CLI' },
    { kind: 'art30_record_entry', required: true, when: 'CLI (Art. 49(6))' },
  ],
};

const perBasis: Record<DerogationBasis, readonly EuMaterialKind[]> = {
  a: ['consent_record'],
  b: ['contract_reference'],
  c: ['contract_reference'],
  d: ['public_interest_provision'],
  e: ['procedure_reference'],
  f: ['incapacity_evidence'],
  g: ['register_consultation_conditions'],
  cli: [
    'cli_balancing',
    'cli_safeguards',
    'sa_notification_copy',
    'data_subject_notice_copy',
    'art30_record_entry',
  ],
};

const adequacyScopeEvidence: Record<string, EuMaterialKind> = {
  US: 'dpf_list_record',
  CA: 'pipeda_applicability_statement',
  JP: 'appi_pihbo_statement',
  KR: 'kr_not_credit_information_statement',
  BR: 'lgpd_applicability_statement',
};

/**
 * The materials hop 0 of this application needs for its route (§8), conditional rows resolved. Empty for
 * `no_transfer`, `not_permitted` and `needs_info`. `requireFallbackForDPF` (§3 watch list, default off) adds the
 * SCC + TIA fallback to a DPF reliance.
 */
export function materialsFor(
  facts: EuGdprFacts,
  answer: EuRouteAnswer,
  opts: { requireFallbackForDPF: boolean },
): EuMaterialRule[] {
  const hop0 = answer.hops[0];
  if (!hop0) return [];
  const route = hop0.route;
  const pick = (r: EuApprovalRoute, kinds: readonly EuMaterialKind[]) =>
    euMaterialTable[r].filter((m) => kinds.includes(m.kind));
  const onward = (facts.onwardTransfers?.length ?? 0) > 0;
  switch (route) {
    case 'adequacy': {
      const decision = hop0.adequacy?.decisionId ?? '';
      const evidence = adequacyScopeEvidence[decision] ?? 'scope_evidence';
      const list = pick('adequacy', [evidence, 'art30_record_entry', 'privacy_notice_text']);
      if (facts.importer?.role === 'processor')
        list.push({ kind: 'art28_dpa', required: true, when: 'the importer is a processor' });
      if (onward) list.push({ kind: 'onward_transfer_map', required: true, when: 'onward transfers' });
      if (decision === 'US' && opts.requireFallbackForDPF)
        list.push(
          {
            kind: 'scc_signed',
            required: true,
            when: 'requireFallbackForDPF: SCCs as a documented fallback',
          },
          { kind: 'tia_report', required: true, when: 'requireFallbackForDPF: TIA for the fallback' },
        );
      return list;
    }
    case 'scc': {
      const m = hop0.sccModule;
      const kinds: EuMaterialKind[] = [
        'scc_signed',
        'scc_annex_i',
        'scc_annex_ii',
        'art30_record_entry',
        'privacy_notice_text',
        'government_access_policy',
      ];
      if (m === 'M2' || m === 'M3') kinds.push('scc_annex_iii');
      if (hop0.tiaRequired) kinds.push('tia_report');
      if (m === 'M4' && hop0.tiaRequired === false) kinds.push('m4_no_combination_statement');
      return pick('scc', kinds).map((r) =>
        r.kind === 'm4_no_combination_statement' ? { ...r, required: true } : r,
      );
    }
    case 'bcr':
      return [...euMaterialTable.bcr];
    case 'other_art46': {
      const kind = facts.otherArt46?.kind;
      const kinds: EuMaterialKind[] = ['art46_instrument', 'tia_report'];
      if (kind === 'ad_hoc_clauses' || kind === 'admin_arrangement') kinds.push('sa_authorisation');
      if (kind === 'code' || kind === 'certification') kinds.push('binding_commitment');
      return pick('other_art46', kinds);
    }
    case 'derogation': {
      const basis = hop0.derogationBasis;
      const kinds: EuMaterialKind[] = [
        'derogation_basis_statement',
        'necessity_note',
        'occasional_justification',
      ];
      if (basis) kinds.push(...perBasis[basis]);
      return pick('derogation', kinds);
    }
    default:
      return [];
  }
}
