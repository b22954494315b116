/**
 * The source of every eu-gdpr rule, as EU-GDPR.md gives it (the bracketed tags are its source list, [E1]–[E22]).
 * A route answer carries the source of each rule that fired.
 */
export const ruleSources = {
  'EU-0': 'EDPB Guidelines 05/2021 v2.0 (14 Feb 2023), three cumulative criteria [E16]; EU-GDPR.md §0',
  'EU-1': 'GDPR Art. 45(1) [E1]; EDPB Recs 01/2020 step 2 [E4][E16]; EU-GDPR.md §2, §3',
  'EU-2': 'GDPR Art. 46(2)(b), 47(1)-(2) [E1]; EDPB BCR-C Recs 1/2022 §5.4.1 [E5]; EU-GDPR.md §2, §4.2',
  'EU-3':
    'GDPR Art. 46(2)(c) [E1]; Decision (EU) 2021/914 Art. 1, Art. 4, recital 16, Clauses 2, 14 [E3]; EU-GDPR.md §2, §4.1',
  'EU-4': 'GDPR Art. 46(2)-(3) [E1]; EDPB Guidelines 04/2021, 07/2022 [E17]; EU-GDPR.md §2, §4.3',
  'EU-5':
    'EDPB Recs 01/2020 step 4 [E4][E16]; SCC Clause 14(f), 16(b) [E3]; CJEU C-311/18 Schrems II [E20]; EU-GDPR.md §2, §4.4',
  'EU-6': 'GDPR Art. 49(1)(a)-(g), 49(3) [E1]; EDPB Guidelines 2/2018 [E2]; EU-GDPR.md §2, §5.1',
  'EU-7':
    'GDPR Art. 49(1) second subparagraph, 49(6) [E1]; EDPB Guidelines 2/2018 §2.8 [E2]; EU-GDPR.md §2, §5.2',
  'EU-8': 'GDPR Art. 44 [E1]; EU-GDPR.md §2',
  'EU-chain':
    'GDPR Art. 44 "including for onward transfers" [E1]; SCC Clauses 8.7 (M1), 8.8 (M2), 9 (M2/M3) [E3]; Japan Supplementary Rule (4) [E9]; DPF Accountability for Onward Transfer [E12]; EU-GDPR.md §2 chain rule',
} as const;
export type RuleId = keyof typeof ruleSources;

/** The sources of the §0 situations (EU-GDPR.md §0 table). */
export const transferSituationSources = {
  remoteAccess: '[E4] fn 23 and para 13; [E16]',
  cloudStorage: '[E4] para 13',
  dataSubjectDirect: '[E4] fn 19; [E16]',
  sameLegalEntity: '[E16]',
  eeaRecipient: 'Decision 2021/914 Clause 8.7 fn 3 [E3]',
  internationalOrganisation: 'GDPR Art. 44 [E1]; [E14]',
  processorToController: 'Decision 2021/914 recital 16, Clause 14 heading [E3]',
} as const;

/** The sources of the derogation bases (EU-GDPR.md §5.1, §5.2). */
export const derogationSources = {
  a: 'GDPR Art. 49(1)(a) [E1]; EDPB Guidelines 2/2018 §2.1 [E2]',
  b: 'GDPR Art. 49(1)(b), recital 111 [E1]; EDPB Guidelines 2/2018 §2.2 [E2]',
  c: 'GDPR Art. 49(1)(c), recital 111 [E1]; EDPB Guidelines 2/2018 §2.3 [E2]',
  d: 'GDPR Art. 49(1)(d), 49(4) [E1]; EDPB Guidelines 2/2018 §2.4 [E2]',
  e: 'GDPR Art. 49(1)(e), recital 111 [E1]; EDPB Guidelines 2/2018 §2.5 [E2]',
  f: 'GDPR Art. 49(1)(f) [E1]; EDPB Guidelines 2/2018 §2.6 [E2]',
  g: 'GDPR Art. 49(1)(g), 49(2) [E1]; EDPB Guidelines 2/2018 §2.7 [E2]',
  cli: 'GDPR Art. 49(1) second subparagraph, 49(6) [E1]; EDPB Guidelines 2/2018 §2.8 [E2]',
  publicAuthority: 'GDPR Art. 49(3) [E1]; EU-GDPR.md §5',
  memberStateLimits: 'GDPR Art. 49(5) [E1]; EU-GDPR.md §5',
} as const;
