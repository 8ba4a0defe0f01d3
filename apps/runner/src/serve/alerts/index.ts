// Alerts for `crm-sync serve` (docs/CONFIGURATION.md, "Alerts"): load the settings, create the alerter, call it.
export { alertChannelsFor } from './alert-channels.js';
export {
  type AlertConfig,
  type AlertConfigResult,
  alertDefaults,
  type ChatAlertSettings,
  type EmailAlertSettings,
  loadAlertConfig,
} from './alert-config.js';
export type { AlertChannel, AlertMessage, AlertSection } from './alert-message.js';
export { type Alerter, type AlerterOptions, createAlerter } from './alerter.js';
export type { ChatFormat } from './chat-hosts.js';
export type { HeldRecord } from './compose-alerts.js';
