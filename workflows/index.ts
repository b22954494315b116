export { transferWorkflow } from './transfer';
export { reminderSweepWorkflow } from './reminder-sweep';
export { webhookDeliveryWorkflow } from './webhook-delivery';
