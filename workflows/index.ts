export { transferWorkflow } from './transfer';
export { reminderSweepWorkflow } from './reminder-sweep';
