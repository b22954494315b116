/** reminderSweepWorkflow: started by a schedule (hourly), one sweep of reminders before applicant deadlines. */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { sweepReminders } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 3 },
});

export async function reminderSweepWorkflow(): Promise<number> {
  return sweepReminders({ taskQueue: workflowInfo().taskQueue });
}
