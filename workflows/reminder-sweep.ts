/** reminderSweepWorkflow: started by a schedule (hourly), one sweep of reminders before applicant deadlines. */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { sweepReminders } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  // the sweep heartbeats per transfer: a lost worker's sweep is retried after 30 s, not after 5 minutes
  heartbeatTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

export async function reminderSweepWorkflow(): Promise<number> {
  return sweepReminders({ taskQueue: workflowInfo().taskQueue });
}
