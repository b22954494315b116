/**
 * Route determination of the eu-gdpr pack (EU-GDPR.md §2): per hop, top-down EU-0 … EU-8, the first row that
 * holds decides; then the chain rule over the onward hops. The engine never guesses: a condition whose facts are
 * left out is unknown, and the answer is `needs_info` listing them, except where §2 lets a fully holding Art. 46
 * tool decide despite an unknown adequacy fact.
 */
import { adequacyCheck, type AdequacyDecision } from './adequacy';
import { at, type Check, type MissingFact } from './check';
import { derogationCheck, derogationSource, type DerogationOptions } from './derogations';
import type { DerogationBasis, EuGdprFacts, HopFacts, OnwardHopFacts, PartyRole, SccModule } from './facts';
import { ruleSources, type RuleId } from './sources';
import { bcrCheck, isRestrictedTransfer, otherArt46Check, sccCheck, tiaGate, type ToolResult } from './tools';

export const euRoutes = [
  'adequacy',
  'bcr',
  'scc',
  'other_art46',
  'derogation',
  'not_permitted',
  'needs_info',
  'no_transfer',
] as const;
export type EuRoute = (typeof euRoutes)[number];
export type Art46Tool = 'bcr' | 'scc' | 'other_art46';

/** One rule as evaluated: `holds` means the row's condition in the §2 table holds. */
export interface FiredRule {
  id: RuleId;
  outcome: 'holds' | 'fails' | 'unknown';
  reason: string;
  source: string;
}

export interface HopAnswer {
  /** '' for hop 0; `onwardTransfers[0]`, `onwardTransfers[0].onwardTransfers[1]`, … */
  path: string;
  recipientName?: string;
  route: EuRoute;
  /** null while undetermined (route `needs_info`, `no_transfer`, `not_permitted`) */
  tiaRequired: boolean | null;
  rules: FiredRule[];
  needsInfo: MissingFact[];
  notes: string[];
  /** route `adequacy`: the decision relied on (for an onward hop from an adequate destination, that one's) */
  adequacy?: { decisionId: string; instrument: string; validUntil?: string; onwardRulesOf?: string };
  /** routes `bcr` / `scc` / `other_art46` */
  tool?: Art46Tool;
  sccModule?: SccModule;
  /** true while a required TIA has not been done: the route stands, approval is blocked */
  tiaPending?: boolean;
  derogationBasis?: DerogationBasis;
  /** the safeguard the applicant named for an onward hop */
  safeguard?: string;
}

export interface EuRouteAnswer {
  /** the chain's route: hop 0's, unless a hop is not permitted (then `not_permitted`) or needs facts */
  route: EuRoute;
  /** hop 0's TIA need (each hop carries its own) */
  tiaRequired: boolean | null;
  rules: FiredRule[];
  /** every missing fact of every hop, by its path in the application */
  needsInfo: MissingFact[];
  notes: string[];
  /** hop 0 first, then every onward hop depth-first */
  hops: HopAnswer[];
  /** the hops without a valid basis (the chain stays blocked until they are fixed) */
  failingHops: string[];
  policy: { id: string; version: string };
}

export interface RouteContext {
  id: string;
  version: string;
  adequacyRegister: readonly AdequacyDecision[];
  derogations: DerogationOptions;
}

interface HopEnv {
  prefix: string;
  onward: boolean;
  transferDate: string | undefined;
  /** hop 0's exporter country (EEA EFTA question) */
  originCountry: string | undefined;
  exporterRole: PartyRole | undefined;
  /** the previous hop, for the chain rule */
  parent?: { answer: HopAnswer; facts: HopFacts };
}

const rule = (id: RuleId, outcome: FiredRule['outcome'], reason: string, source?: string): FiredRule => ({
  id,
  outcome,
  reason,
  source: source ?? ruleSources[id],
});

const missingOf = (c: Check): MissingFact[] => (c.state === 'unknown' ? c.missing : []);
const whyOf = (c: Check): string => (c.state === 'unknown' ? 'facts missing' : c.why);

function dedupe(missing: MissingFact[]): MissingFact[] {
  const seen = new Set<string>();
  return missing.filter((m) => (seen.has(m.field) ? false : (seen.add(m.field), true)));
}

const toolRule: Record<Art46Tool, RuleId> = { bcr: 'EU-2', scc: 'EU-3', other_art46: 'EU-4' };

/** §2 "Chain rule" for a hop from an SCC importer: the module's onward clause. */
function sccOnwardClause(
  module: SccModule,
  hop: OnwardHopFacts,
  answer: HopAnswer,
  prefix: string,
): Check | undefined {
  const lawful = ['adequacy', 'bcr', 'scc', 'other_art46', 'derogation'].includes(answer.route);
  if (!lawful || module === 'M4') return undefined;
  const basis = answer.derogationBasis;
  if (module === 'M1') {
    if (answer.route === 'derogation' && !['a', 'e', 'f'].includes(basis!))
      return {
        state: 'fails',
        why: `M1 Clause 8.7 allows an onward transfer only to a party bound by the Clauses, or under adequacy, Art. 46/47, a binding instrument, legal claims, vital interests or explicit consent; not Art. 49(1)(${basis})`,
      };
    return { state: 'holds', why: 'M1 Clause 8.7: the onward transfer has one of the allowed bases' };
  }
  // M2 Clause 8.8; M3 assumed identical (EU-GDPR.md §11.5)
  if (answer.route === 'derogation' && !['e', 'f'].includes(basis!))
    return {
      state: 'fails',
      why: `${module} Clause 8.8: no consent option and no Art. 49(1)(${basis}) basis for an onward transfer; allowed: bound by the Clauses, adequacy, Art. 46–47, legal claims, vital interests`,
    };
  const missing: MissingFact[] = [];
  if (hop.documentedInstructions === undefined)
    missing.push({
      field: at(prefix, 'documentedInstructions'),
      reason: `${module} Clause 8.8: whether the onward transfer is on the exporter's documented instructions`,
    });
  else if (!hop.documentedInstructions)
    return {
      state: 'fails',
      why: `${module} Clause 8.8: the onward transfer is not on documented instructions`,
    };
  if (hop.importer?.role === 'processor') {
    const sp = hop.subProcessor;
    if (sp?.priorAuthorisation === undefined)
      missing.push({
        field: at(prefix, 'subProcessor.priorAuthorisation'),
        reason: `${module} Clause 9: whether the sub-processor was authorised in advance`,
      });
    else if (!sp.priorAuthorisation)
      return { state: 'fails', why: `${module} Clause 9: the sub-processor was not authorised in advance` };
    if (sp?.writtenContractSameObligations === undefined)
      missing.push({
        field: at(prefix, 'subProcessor.writtenContractSameObligations'),
        reason: `${module} Clause 9: whether a written contract imposes the same obligations`,
      });
    else if (!sp.writtenContractSameObligations)
      return {
        state: 'fails',
        why: `${module} Clause 9: no written contract with the same obligations on the sub-processor`,
      };
  }
  if (missing.length > 0) return { state: 'unknown', missing };
  return {
    state: 'holds',
    why: `${module} Clause 8.8${hop.importer?.role === 'processor' ? ' and Clause 9' : ''}: documented instructions and an allowed basis`,
  };
}

/** §2 decision order for one hop, on its own facts. */
function decideHop(hop: HopFacts, env: HopEnv, ctx: RouteContext): HopAnswer {
  const { prefix } = env;
  const answer: HopAnswer = {
    path: prefix,
    route: 'needs_info',
    tiaRequired: null,
    rules: [],
    needsInfo: [],
    notes: [],
  };
  if ('recipientName' in hop) answer.recipientName = hop.recipientName;
  if ('safeguard' in hop && hop.safeguard !== undefined) answer.safeguard = hop.safeguard;
  const done = (route: EuRoute, tiaRequired: boolean | null): HopAnswer => {
    answer.route = route;
    answer.tiaRequired = tiaRequired;
    answer.needsInfo = dedupe(answer.needsInfo);
    return answer;
  };

  // EU-0
  const transfer = isRestrictedTransfer(hop, prefix, env.onward);
  if (transfer.state === 'fails') {
    answer.rules.push(rule('EU-0', 'holds', `not a restricted transfer: ${transfer.why}`));
    answer.notes.push('Chapter V does not apply; the rest of the GDPR does');
    return done('no_transfer', false);
  }
  if (transfer.state === 'unknown') {
    answer.rules.push(rule('EU-0', 'unknown', 'whether this is a restricted transfer (§0)'));
    answer.needsInfo.push(...transfer.missing);
    return done('needs_info', null);
  }
  answer.rules.push(rule('EU-0', 'fails', transfer.why));

  // chain rule: a hop from an adequate destination is governed by that destination's onward rules
  const parent = env.parent?.answer;
  if (parent?.route === 'adequacy' && parent.adequacy) {
    const reason = `onward hop from an adequate destination (${parent.adequacy.decisionId}): governed by its onward-transfer rules${
      parent.adequacy.onwardRulesOf ? ` (${parent.adequacy.onwardRulesOf})` : ''
    }, which the adequacy finding covers; no EU SCCs or TIA needed`;
    if (!('safeguard' in hop) || hop.safeguard === undefined) {
      answer.rules.push(rule('EU-chain', 'unknown', reason));
      answer.needsInfo.push({
        field: at(prefix, 'safeguard'),
        reason: "the safeguard this hop relies on under the destination's onward-transfer rules",
      });
      return done('needs_info', null);
    }
    answer.rules.push(rule('EU-chain', 'holds', `${reason}; safeguard named: ${hop.safeguard}`));
    answer.adequacy = { ...parent.adequacy, onwardRulesOf: parent.adequacy.decisionId };
    return done('adequacy', false);
  }

  // EU-1
  const adequacy = adequacyCheck(hop, prefix, env.transferDate, env.originCountry, ctx.adequacyRegister);
  answer.notes.push(...adequacy.notes);
  if (adequacy.check.state === 'holds' && adequacy.decision) {
    const d = adequacy.decision;
    answer.rules.push(
      rule('EU-1', 'holds', adequacy.check.why, `${ruleSources['EU-1']}; ${d.instrument} ${d.source}`),
    );
    answer.adequacy = { decisionId: d.id, instrument: d.instrument };
    if (d.inForceUntil) answer.adequacy.validUntil = d.inForceUntil;
    if (d.onwardRules) answer.adequacy.onwardRulesOf = d.onwardRules;
    answer.notes.push('no TIA: only monitor that the decision stays valid');
    return done('adequacy', false);
  }
  answer.rules.push(
    rule(
      'EU-1',
      adequacy.check.state,
      adequacy.check.state === 'unknown' ? 'adequacy not determined: facts missing' : whyOf(adequacy.check),
    ),
  );
  const adequacyMissing = missingOf(adequacy.check);

  // EU-2/3/4 with the EU-5 gate; the designated tool first, then BCR, SCC, other
  const exporterRole = hop.exporter?.role ?? env.exporterRole;
  const results: Record<Art46Tool, ToolResult> = {
    bcr: bcrCheck(hop, prefix),
    scc: sccCheck(hop, prefix, exporterRole),
    other_art46: otherArt46Check(hop, prefix),
  };
  const order: Art46Tool[] = ['bcr', 'scc', 'other_art46'];
  if (hop.designatedTool)
    order.sort((a, b) => (a === hop.designatedTool ? -1 : b === hop.designatedTool ? 1 : 0));
  const toolMissing: MissingFact[] = [];
  let gateFired = false;
  for (const tool of order) {
    const r = results[tool];
    if (r.check.state !== 'holds') {
      answer.rules.push(
        rule(toolRule[tool], r.check.state, r.check.state === 'unknown' ? 'facts missing' : r.check.why),
      );
      toolMissing.push(...missingOf(r.check));
      continue;
    }
    answer.rules.push(rule(toolRule[tool], 'holds', r.check.why));
    if ('unknown' in r.tia) {
      answer.needsInfo.push(...missingOf(r.tia.unknown));
      answer.tool = tool;
      if (r.module) answer.sccModule = r.module;
      return done('needs_info', null);
    }
    if (r.tia.required) {
      const gate = tiaGate(hop, prefix);
      if (gate.state === 'fails') {
        gateFired = true;
        answer.rules.push(rule('EU-5', 'holds', `${tool}: ${gate.why}; the tool fails`));
        continue;
      }
      if (gate.state === 'unknown') {
        answer.rules.push(rule('EU-5', 'unknown', 'the TIA outcome'));
        answer.needsInfo.push(...gate.missing);
        return done('needs_info', null);
      }
      if (gate.state === 'pending') {
        answer.tiaPending = true;
        answer.notes.push(
          'TIA required and not yet done: approval is blocked until a TIA finds the tool effective',
        );
      } else answer.rules.push(rule('EU-5', 'fails', gate.why));
    } else if (r.module === 'M4') {
      answer.notes.push(
        'M4 without a TIA: the EU processor does not combine the received data with data collected in the EU (recital 16, Clause 14)',
      );
    }
    if (adequacyMissing.length > 0)
      answer.notes.push(
        `adequacy not determined (${adequacyMissing.map((m) => m.field).join(', ')}): the Art. 46 tool is lawful either way`,
      );
    if (hop.importer?.processingSubjectToGDPR === true && tool === 'scc')
      answer.notes.push(
        'scope gap (flag, not a block): the importer is itself subject to the GDPR under Art. 3(2); the 2021 SCCs serve importers not subject to it (Art. 1(1), recital 7); document the overlap',
      );
    if (tool === 'scc' && (hop.specialCategories?.length ?? 0) > 0)
      answer.notes.push(
        'special categories: SCC Annex I.B must state the restrictions and safeguards (Clause 8.6 M1 / 8.7 M2)',
      );
    answer.tool = tool;
    if (r.module) answer.sccModule = r.module;
    return done(tool, r.tia.required);
  }

  // EU-6/7 may not be chosen while an adequacy or Art. 46 fact is unknown (Art. 49 "in the absence of"; [E2] §1)
  if (adequacyMissing.length > 0 || toolMissing.length > 0) {
    answer.needsInfo.push(...adequacyMissing, ...toolMissing);
    answer.notes.push(
      'a derogation may not be chosen while an adequacy or Art. 46 fact is unknown (layered approach 45 → 46 → 49)',
    );
    return done('needs_info', null);
  }

  const publicAuthorityField = env.onward
    ? at(prefix, 'exporter.publicAuthorityExercisingPublicPowers')
    : 'exporter.publicAuthorityExercisingPublicPowers';
  const derogation = derogationCheck(
    hop,
    prefix,
    hop.exporter?.publicAuthorityExercisingPublicPowers,
    publicAuthorityField,
    ctx.derogations,
  );
  const derogationRule: RuleId = derogation.basis === 'cli' ? 'EU-7' : 'EU-6';
  const derogationSrc = derogation.basis
    ? `${ruleSources[derogationRule]}; ${derogationSource(derogation.basis)}`
    : ruleSources[derogationRule];
  if (derogation.check.state === 'holds') {
    answer.rules.push(rule(derogationRule, 'holds', derogation.check.why, derogationSrc));
    answer.derogationBasis = derogation.basis!;
    answer.notes.push(
      'a derogation is evaluated per transfer: not a standing approval; it cannot become the rule',
    );
    return done('derogation', false);
  }
  if (derogation.check.state === 'unknown') {
    answer.rules.push(rule(derogationRule, 'unknown', 'the derogation conditions', derogationSrc));
    answer.needsInfo.push(...derogation.check.missing);
    return done('needs_info', null);
  }
  answer.rules.push(rule(derogationRule, 'fails', derogation.check.why, derogationSrc));
  answer.rules.push(
    rule(
      'EU-8',
      'holds',
      gateFired
        ? 'the Art. 46 tool failed its TIA (EU-5) and no derogation applies: do not start; suspend if running'
        : 'no adequacy, no Art. 46 tool and no derogation',
    ),
  );
  return done('not_permitted', null);
}

function walk(hop: HopFacts, env: HopEnv, ctx: RouteContext, out: HopAnswer[]): void {
  const answer = decideHop(hop, env, ctx);
  const parent = env.parent;
  if (parent?.answer.tool === 'scc' && parent.answer.sccModule && 'recipientName' in hop) {
    const clause = sccOnwardClause(parent.answer.sccModule, hop, answer, env.prefix);
    if (clause?.state === 'fails') {
      answer.rules.push(rule('EU-chain', 'fails', clause.why));
      answer.route = 'not_permitted';
      answer.tiaRequired = null;
    } else if (clause?.state === 'unknown') {
      answer.rules.push(rule('EU-chain', 'unknown', 'the onward-transfer clause of the SCC module'));
      answer.needsInfo = dedupe([...answer.needsInfo, ...clause.missing]);
      answer.route = 'needs_info';
      answer.tiaRequired = null;
    } else if (clause?.state === 'holds') answer.rules.push(rule('EU-chain', 'holds', clause.why));
  } else if (parent?.answer.sccModule === 'M4' && 'recipientName' in hop) {
    answer.notes.push('EU-GDPR.md gives no onward clause for M4: the hop is decided on its own facts (§2)');
  }
  out.push(answer);
  (hop.onwardTransfers ?? []).forEach((next, i) =>
    walk(
      next,
      {
        prefix: at(env.prefix, `onwardTransfers[${i}]`),
        onward: true,
        transferDate: next.transferDate ?? env.transferDate,
        originCountry: env.originCountry,
        exporterRole: hop.importer?.role,
        parent: { answer, facts: hop },
      },
      ctx,
      out,
    ),
  );
}

/** The route of an eu-gdpr application: hop 0 by §2, each onward hop on its own, then the chain rule. */
export function determineEuRoute(facts: EuGdprFacts, ctx: RouteContext): EuRouteAnswer {
  const hops: HopAnswer[] = [];
  walk(
    facts,
    {
      prefix: '',
      onward: false,
      transferDate: facts.transferDate,
      originCountry: facts.exporter?.country,
      exporterRole: facts.exporter?.role,
    },
    ctx,
    hops,
  );
  const hop0 = hops[0]!;
  const failing = hops.filter((h) => h.route === 'not_permitted').map((h) => h.path);
  const rules = [...hop0.rules];
  const notes = [...hop0.notes];
  let route: EuRoute = hop0.route;
  const onwardFailing = failing.filter((p) => p !== '');
  if (onwardFailing.length > 0 && hop0.route !== 'not_permitted') {
    route = 'not_permitted';
    rules.push(
      rule(
        'EU-chain',
        'fails',
        `hop without a valid basis: ${onwardFailing.join(', ')}; the chain as submitted is blocked until it is fixed`,
      ),
    );
  } else if (failing.length === 0 && hops.some((h) => h.route === 'needs_info')) route = 'needs_info';
  return {
    route,
    tiaRequired: hop0.tiaRequired,
    rules,
    needsInfo: dedupe(hops.flatMap((h) => h.needsInfo)),
    notes,
    hops,
    failingHops: failing.map((p) => (p === '' ? '(hop 0)' : p)),
    policy: { id: ctx.id, version: ctx.version },
  };
}

/** Every hop's facts with its path, in the order of `EuRouteAnswer.hops` (hop 0, then depth-first). */
export function flattenHops(facts: EuGdprFacts): { path: string; facts: HopFacts }[] {
  const out: { path: string; facts: HopFacts }[] = [];
  const visit = (hop: HopFacts, path: string) => {
    out.push({ path, facts: hop });
    (hop.onwardTransfers ?? []).forEach((next, i) => visit(next, at(path, `onwardTransfers[${i}]`)));
  };
  visit(facts, '');
  return out;
}
