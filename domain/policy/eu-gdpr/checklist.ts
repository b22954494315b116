/** The reviewer checklist (EU-GDPR.md §9): each item is answered pass / concern / fail with a note. */
import type { EuApprovalRoute } from './materials';

export interface EuChecklistItem {
  /** `all` or the route the item belongs to */
  route: 'all' | EuApprovalRoute;
  item: string;
  text: string;
}

export const euReviewChecklist: readonly EuChecklistItem[] = [
  {
    route: 'all',
    item: 'is_transfer',
    text: 'Is it a transfer (§0), incl. remote access and IO recipients?',
  },
  { route: 'all', item: 'roles', text: 'Roles correct (controller / processor)?' },
  { route: 'all', item: 'lawful_basis', text: 'Lawful basis for the processing (Art. 6, 9, 10)?' },
  { route: 'all', item: 'onward_hops', text: 'Every onward hop mapped, each with its own basis?' },
  { route: 'all', item: 'minimised', text: 'Data minimised?' },
  { route: 'adequacy', item: 'decision_in_force', text: 'Decision in force on the transfer date?' },
  { route: 'adequacy', item: 'scope_limits', text: 'Recipient inside the scope limits (§3 table)?' },
  {
    route: 'adequacy',
    item: 'dpf_record',
    text: 'DPF: the exact entity, EU-U.S. row, Active, covered data matches?',
  },
  { route: 'adequacy', item: 'onward_rules', text: "Decision's onward rules respected for the next hop?" },
  { route: 'scc', item: 'module_version', text: 'Right module and version 2021/914?' },
  { route: 'scc', item: 'text_unmodified', text: 'Text unmodified?' },
  { route: 'scc', item: 'annexes_complete', text: 'Annexes complete?' },
  { route: 'scc', item: 'art3_2_status', text: "Importer's Art. 3(2) status noted?" },
  { route: 'scc', item: 'tia_coverage', text: 'TIA covers (b)(i)–(iii) and names the specific laws?' },
  { route: 'scc', item: 'essential_guarantees', text: 'Assessed against the four Essential Guarantees?' },
  {
    route: 'scc',
    item: 'measures_effective',
    text: 'Measures actually effective (keys in the EEA? clear-text access?)?',
  },
  { route: 'scc', item: 'clause_15', text: 'Clause 15 process in place?' },
  { route: 'scc', item: 'onward_clauses', text: 'Onward / sub-processor clauses satisfied?' },
  { route: 'scc', item: 'review_date', text: 'Review date set?' },
  { route: 'bcr', item: 'approval_current', text: 'Approval genuine and current?' },
  { route: 'bcr', item: 'both_members', text: 'Both parties are members?' },
  {
    route: 'bcr',
    item: 'within_scope',
    text: 'Transfer within the listed categories, purposes and countries?',
  },
  { route: 'bcr', item: 'assessment_541', text: '§5.4.1 assessment documented?' },
  // §9 lists no items for other_art46; its TIA is checked like the SCC one
  {
    route: 'other_art46',
    item: 'tia_coverage',
    text: 'TIA covers (b)(i)–(iii) and names the specific laws?',
  },
  { route: 'other_art46', item: 'measures_effective', text: 'Measures actually effective?' },
  { route: 'derogation', item: 'no_other_option', text: 'No adequacy or Art. 46 option (demonstrated)?' },
  { route: 'derogation', item: 'right_letter', text: 'The right letter?' },
  { route: 'derogation', item: 'necessity', text: 'Necessity?' },
  { route: 'derogation', item: 'occasional', text: 'Occasional (for b, c, e, CLI)?' },
  {
    route: 'derogation',
    item: 'not_public_authority',
    text: 'Not a public authority using a, b, c or CLI?',
  },
  { route: 'derogation', item: 'consent_quality', text: 'Consent explicit, specific and risk-informed?' },
  {
    route: 'derogation',
    item: 'cli_conditions',
    text: 'CLI: limited data subjects, SA and data subjects informed, documented?',
  },
];

/** The items a reviewer works for a route: the common ones, then the route's own. */
export const checklistFor = (route: EuApprovalRoute): EuChecklistItem[] =>
  euReviewChecklist.filter((i) => i.route === 'all' || i.route === route);

/** §9 "Outcomes". */
export const euReviewOutcomes = ['approve', 'approve_with_conditions', 'not_passed'] as const;
