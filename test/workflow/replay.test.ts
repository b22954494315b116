/**
 * Determinism: every recorded history of a released workflow version replays against the current code.
 * Record new fixtures with `npx tsx scripts/record-histories.ts <label>` when a version is released (they are
 * encrypted with the test key ring, as production writes histories); a change to the command sequence of an
 * existing workflow must be guarded by `patched()` or this test fails.
 *
 * Replay compares command sequences only. The state-level check below re-derives each transfer's state from
 * the recorded update inputs through today's `decide` (test/support/history-fold.ts) and compares it with every
 * state the workflow recorded: a change of pack data or domain rules that would give open cases different
 * deadlines, routes or validity on their next replay fails here even when the commands stay the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { AesGcmPayloadCodec, dataConverterFor, parseKeyRing } from '../../activities/crypto';
import { TEST_ENCRYPTION_KEYS } from '../fixtures';
import { foldHistory } from '../support/history-fold';

type History = temporal.api.history.v1.IHistory;

const dir = join(__dirname, 'histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));
const keyRing = parseKeyRing(TEST_ENCRYPTION_KEYS);
const codec = new AesGcmPayloadCodec(keyRing);
const bundle = { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! };

const load = (file: string): History => historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));

const ENCRYPTED = 'binary/encrypted';
const isSealed = (p: temporal.api.common.v1.IPayload): boolean =>
  Buffer.from(p.metadata?.encoding ?? []).toString() === ENCRYPTED;
/** The codec's encoding of one payload; one sealed already (an encrypted fixture) stays as it is. */
const sealed = async (p: temporal.api.common.v1.IPayload): Promise<temporal.api.common.v1.IPayload> =>
  isSealed(p) ? p : ((await codec.encode([p]))[0] as temporal.api.common.v1.IPayload);

/**
 * A history as production writes it: every payload the payload codec sees encrypted with the test key ring.
 * Not search attributes and not the marker data the SDK core writes itself (patch ids, local activity
 * bookkeeping), which never pass through the codec — as in a history the recorder writes. An encrypted fixture
 * comes back unchanged.
 */
async function encryptedCopy(history: History): Promise<History> {
  const copy = temporal.api.history.v1.History.decode(
    temporal.api.history.v1.History.encode(history).finish(),
  );
  const seal = async (holder: { payloads?: temporal.api.common.v1.IPayload[] | null } | null | undefined) => {
    if (holder?.payloads) holder.payloads = await Promise.all(holder.payloads.map(sealed));
  };
  const sealFields = async (fields: Record<string, temporal.api.common.v1.IPayload> | null | undefined) => {
    for (const [key, payload] of Object.entries(fields ?? {})) fields![key] = await sealed(payload);
  };
  for (const e of copy.events ?? []) {
    await seal(e.workflowExecutionStartedEventAttributes?.input);
    await sealFields(e.workflowExecutionStartedEventAttributes?.memo?.fields);
    await seal(e.workflowExecutionCompletedEventAttributes?.result);
    await seal(e.workflowExecutionContinuedAsNewEventAttributes?.input);
    await sealFields(e.workflowExecutionContinuedAsNewEventAttributes?.memo?.fields);
    await sealFields(e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields);
    await seal(e.activityTaskScheduledEventAttributes?.input);
    await seal(e.activityTaskCompletedEventAttributes?.result);
    await seal(e.markerRecordedEventAttributes?.details?.result);
    await seal(e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args);
    await seal(e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success);
  }
  return copy;
}

/** Whether any payload of the history is encrypted (carries the codec's encoding). */
const encrypted = (h: History): boolean =>
  Buffer.from(temporal.api.history.v1.History.encode(h).finish()).includes(ENCRYPTED);

const replay = (history: History, file: string, withCodec = true) =>
  Worker.runReplayHistory(
    { workflowBundle: bundle, ...(withCodec ? { dataConverter: dataConverterFor(keyRing) } : {}) },
    history,
    file,
  );

describe('replay of recorded histories', () => {
  test('there are fixtures to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  // the replayer holds the production data converter with the test key ring: plain and encrypted fixtures alike
  test.each(fixtures)('%s replays without nondeterminism', async (file) => {
    await expect(replay(load(file), file)).resolves.toBeUndefined();
  });

  test.each(fixtures)(
    '%s, encrypted as production writes it, replays without nondeterminism',
    async (file) => {
      const history = await encryptedCopy(load(file));
      expect(encrypted(history)).toBe(true);
      await expect(replay(history, file)).resolves.toBeUndefined();
    },
  );

  test('an encrypted history needs the key ring: without the codec its replay fails', async () => {
    const file = fixtures.find((f) => f.includes('supplement-then-accept'))!;
    await expect(replay(await encryptedCopy(load(file)), file, false)).rejects.toThrow();
  });
});

describe('state-level replay: the recorded update inputs folded through decide give the recorded states', () => {
  test.each(fixtures)('%s', async (file) => {
    const history = load(file);
    const fold = await foldHistory(history, codec);
    // every fixture records at least one state (an update's result, the end, or continue-as-new)
    expect(fold.checks.length).toBeGreaterThan(0);
    // every fact the recording code wrote is re-derived identically; a field added to the state since (e.g.
    // `calendarVersion`, a deadline's `basis`) is absent from older recordings and not compared
    expect(fold.checks.map(({ at, folded }) => ({ at, state: folded }))).toMatchObject(
      fold.checks.map(({ at, recorded }) => ({ at, state: recorded as object })),
    );
    // the same fold reads the history encrypted (an encrypted fixture: itself)
    const encryptedFold = await foldHistory(await encryptedCopy(history), codec);
    expect(encryptedFold).toEqual(fold);
  });
});
