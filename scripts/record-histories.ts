/**
 * Records the histories of representative transfers on a fresh in-memory dev server, as replay fixtures:
 *   npx tsx scripts/record-histories.ts <label> [scenario…]   → test/workflow/histories/<label>-<scenario>.json
 * (XB_HISTORIES_OUT=<dir> writes elsewhere.) Record once per released workflow version; CI replays every fixture
 * against the current workflow code. The worker and client run with the production data converter and the test
 * suite's key ring (TEST_ENCRYPTION_KEYS), so the fixtures are encrypted like production histories and the
 * replay test, which holds the same ring, reads them.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { dataConverterFor, parseKeyRing } from '../activities/crypto';
import { openStore } from '../store';
import { TransferGateway } from '../api/temporal';
import type { PartialApplication } from '../domain/application';
import { activePolicy, resolvePolicy } from '../domain/policy';
import { checklistFor } from '../domain/policy/eu-gdpr/lifecycle';
import {
  applicant,
  placeholderMaterials,
  recipient,
  reviewer,
  sampleApplication,
  TEST_ENCRYPTION_KEYS,
} from '../test/fixtures';
import { createWorker } from '../worker';
import {
  actionUpdates,
  completenessUpdate,
  editUpdate,
  submitUpdate,
  supplementUpdate,
  withdrawUpdate,
  workflowIdFor,
} from '../workflows/messages';
import { freePort, startDevServer } from './dev-server';
import { ensureTool } from './toolchain';

const materials = placeholderMaterials();

async function main(label: string): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({ cliPath: ensureTool('cli'), port: await freePort(), headless: true });
  const dir = mkdtempSync(join(tmpdir(), 'xborder-record-'));
  const keyRing = parseKeyRing(TEST_ENCRYPTION_KEYS);
  const store = await openStore({ dataDir: dir, keyRing });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: dataConverterFor(keyRing) });
  const native = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'record';
  const worker = await createWorker({ connection: native, namespace: 'default', taskQueue, store, keyRing });
  const gateway = new TransferGateway(client, taskQueue, 20_000);
  const out = process.env.XB_HISTORIES_OUT ?? join(__dirname, '..', 'test', 'workflow', 'histories');
  mkdirSync(out, { recursive: true });

  /** Start a transfer as the applicant: submitted, or kept a draft. */
  const create = (id: string, application: PartialApplication, submit: boolean) =>
    gateway.create(
      {
        id,
        application,
        createdBy: applicant,
        policyId: activePolicy.id,
        policyVersion: activePolicy.version,
        submit,
      },
      randomUUID(),
    );

  const scenarios: Record<string, () => Promise<string>> = {
    'supplement-then-accept': async () => {
      const id = randomUUID();
      await create(id, sampleApplication({ materials }), true);
      await gateway.update(
        id,
        completenessUpdate,
        {
          actor: reviewer,
          decision: 'request_supplement',
          items: [
            { material: 'pipia_report', request: 'signed copy' },
            { field: 'purpose', request: 'be precise' },
          ],
        },
        randomUUID(),
      );
      await gateway.update(
        id,
        supplementUpdate,
        {
          actor: applicant,
          responses: [
            { itemId: 'r1-1', documentId: `sha256:${'9'.repeat(64)}` },
            { itemId: 'r1-2', text: 'orders only' },
          ],
        },
        randomUUID(),
      );
      await gateway.update(id, completenessUpdate, { actor: reviewer, decision: 'accept' }, randomUUID());
      return id;
    },
    'draft-edit-submit-refuse': async () => {
      const id = randomUUID();
      await create(id, { title: 'draft', exporter: { org: 'acme' } }, false);
      const { title: _t, ...rest } = sampleApplication({ materials: materials.slice(0, 3) });
      await gateway.update(id, editUpdate, { actor: applicant, patch: rest }, randomUUID());
      await gateway.update(id, submitUpdate, { actor: applicant }, randomUUID());
      await gateway.update(
        id,
        completenessUpdate,
        { actor: reviewer, decision: 'refuse', reason: 'materials missing' },
        randomUUID(),
      );
      return id;
    },
    'approval-to-active-then-supervision': async () => {
      const id = randomUUID();
      const rob = { sub: 'rob', role: 'reviewer' as const, org: 'regulator' };
      const run = (type: keyof typeof actionUpdates, payload: object) =>
        gateway.update(id, actionUpdates[type] as never, payload as never, randomUUID());
      await create(id, sampleApplication({ materials }), true);
      await run('completeness', { actor: reviewer, decision: 'accept' });
      await run('review', {
        actor: reviewer,
        decision: 'complete',
        checklist: activePolicy.reviewChecklist.map((c) => ({ item: c.item, result: 'pass' })),
      });
      const approved = await run('risk_decision', {
        actor: rob,
        decision: 'approve_with_conditions',
        conditions: ['annual audit'],
      });
      const today = new Date(Date.parse(approved.updatedAt) + 8 * 3600_000).toISOString().slice(0, 10);
      await run('sign', {
        actor: recipient,
        documentId: `sha256:${'e'.repeat(64)}`,
        signerName: 'E',
        signerTitle: 'MD',
        signedAt: today,
      });
      await run('acknowledge_conditions', { actor: recipient });
      await run('countersign', { actor: applicant });
      await run('file', { actor: applicant, effectiveDate: today });
      await run('filing_decision', { actor: reviewer, decision: 'accept' });
      await run('report_incident', {
        actor: applicant,
        severity: 'low',
        occurredAt: approved.updatedAt,
        description: 'misrouted e-mail',
      });
      await run('report_change', {
        actor: applicant,
        changes: [{ kind: 'retention', description: 'shorter' }],
        application: { transfer: { retentionDays: 180 } },
      });
      await run('change_decision', {
        actor: rob,
        decision: 'accept',
        reason: 'shorter retention lowers risk',
      });
      await run('supervise', { actor: reviewer, kind: 'warning', reason: 'late incident report' });
      await run('supervise', { actor: reviewer, kind: 'suspend', reason: 'audit pending' });
      await run('supervise', { actor: reviewer, kind: 'revoke', reason: 'audit failed' });
      return id;
    },
    'exempt-confirm-withdraw': async () => {
      const id = randomUUID();
      const exempt = sampleApplication({
        volume: { individualsYtd: 10, sensitiveIndividualsYtd: 0, importantData: false },
      });
      await create(id, exempt, true);
      await gateway.update(
        id,
        actionUpdates.confirm_exemption,
        { actor: applicant, application: { volume: { individualsYtd: 20 } } },
        randomUUID(),
      );
      await gateway.update(id, withdrawUpdate, { actor: applicant, reason: 'flow stopped' }, randomUUID());
      return id;
    },
    'exempt-then-withdraw': async () => {
      const id = randomUUID();
      await create(
        id,
        sampleApplication({
          volume: { individualsYtd: 10, sensitiveIndividualsYtd: 0, importantData: false },
        }),
        true,
      );
      const other = randomUUID();
      await create(other, sampleApplication({ materials }), true);
      await gateway.update(
        other,
        withdrawUpdate,
        { actor: applicant, reason: 'project cancelled' },
        randomUUID(),
      );
      return other;
    },
    'eu-gdpr-scc-to-active-then-reevaluation': async () => {
      // code version 7: an eu-gdpr transfer, privacy-office approval, importer signature, register number,
      // an operator's event re-opening it, the applicant's answer and the confirmation
      const id = randomUUID();
      const eu = resolvePolicy('eu-gdpr', '2026.1')!;
      const dpo = { sub: 'dora', role: 'reviewer' as const, org: 'dpo-service' };
      const run = (type: keyof typeof actionUpdates, payload: object) =>
        gateway.update(id, actionUpdates[type] as never, payload as never, randomUUID());
      const euFacts = {
        transferDate: new Date().toISOString().slice(0, 10),
        exporter: { country: 'DE', role: 'controller', publicAuthorityExercisingPublicPowers: false },
        disclosureMeans: 'transmission',
        importer: { country: 'IN', role: 'processor', sameLegalEntityAsExporter: false },
        bcr: null,
        scc: { signed: true, module: 'M2', version: '2021/914', textUnmodified: true, annexesComplete: true },
        otherArt46: null,
        derogation: null,
        tia: { done: true, date: new Date().toISOString().slice(0, 10), outcome: 'effective' },
        dataCategories: ['customer contact data'],
        specialCategories: [],
      };
      const base = {
        title: 'EU customer data to India',
        exporter: { org: 'acme', name: 'Acme GmbH' },
        recipient: { id: recipient.recipient!, name: 'Importer', country: 'IN', contactEmail: 'p@i.example' },
        purpose: 'customer support',
        dataCategories: [{ category: 'customer contact data', sensitive: false, fields: [] }],
        facts: euFacts,
      };
      const kinds = eu.flow!.materialsRequired({ application: base } as never);
      const application = {
        ...base,
        materials: kinds.map((kind, n) => ({
          kind,
          documentId: `sha256:${String(n + 1).padStart(64, '0')}`,
        })),
      };
      await gateway.create(
        {
          id,
          application: application as never,
          createdBy: applicant,
          policyId: eu.id,
          policyVersion: eu.version,
          submit: true,
        },
        randomUUID(),
      );
      await run('completeness', { actor: dpo, decision: 'accept' });
      const approved = await run('privacy_review', {
        actor: dpo,
        decision: 'approve',
        checklist: checklistFor('scc').map((item) => ({ item, result: 'pass' })),
      });
      await run('sign', {
        actor: recipient,
        documentId: `sha256:${'e'.repeat(64)}`,
        signerName: 'E',
        signerTitle: 'Director',
        signedAt: approved.updatedAt.slice(0, 10),
      });
      await run('countersign', { actor: applicant });
      for (let i = 0; i < 100 && (await gateway.get(id)).status !== 'active'; i++)
        await new Promise((r) => setTimeout(r, 100));
      await run('reopen', {
        operator: { sub: 'olga', role: 'admin' },
        event: 'adequacy_decision:IN:recorded',
        reason: 'recorded for the replay fixture',
      });
      await run('re_evaluate', { actor: applicant, facts: euFacts });
      await run('re_evaluation_decision', { actor: dpo, decision: 'confirm', reason: 'unchanged' });
      return id;
    },
    'submit-then-cancelled': async () => {
      // closed from outside (Temporal UI/CLI "Request Cancellation"): ends as `cancelled` (code version 6 on)
      const id = randomUUID();
      await create(id, sampleApplication({ materials }), true);
      const handle = client.workflow.getHandle(workflowIdFor(id));
      await handle.cancel();
      for (let i = 0; i < 100 && (await handle.describe()).status.name === 'RUNNING'; i++)
        await new Promise((r) => setTimeout(r, 100));
      return id;
    },
  };

  await worker.runUntil(async () => {
    const only = process.argv.slice(3);
    for (const [name, run] of Object.entries(scenarios).filter(
      ([n]) => only.length === 0 || only.includes(n),
    )) {
      const id = await run();
      const handle = client.workflow.getHandle(workflowIdFor(id));
      // let the workflow settle before taking its history
      for (let i = 0; i < 50; i++) {
        const { raw } = await handle.describe();
        if ((raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const file = join(out, `${label}-${name}.json`);
      writeFileSync(file, historyToJSON(await handle.fetchHistory()));
      console.log(`recorded ${file}`);
    }
  });
  await native.close();
  await connection.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}

main(process.argv[2] ?? 'v1').catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
