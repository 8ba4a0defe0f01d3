/** The payloads a chat webhook takes: Slack's `{ text }`, or a Teams message carrying an Adaptive Card. */
export type ChatFormat = 'teams' | 'slack';

// Slack's incoming webhook URLs are on hooks.slack.com (https://api.slack.com/messaging/webhooks). Teams' connector
// webhooks are on <tenant>.webhook.office.com (the samples of
// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook).
const slackHosts = [/^hooks\.slack\.com$/u];
const teamsConnectorHosts = [/(^|\.)webhook\.office\.com$/u];

// UNCONFIRMED: the hosts of Teams Workflows URLs ("When a Teams webhook request is received",
// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using): no
// Microsoft page lists them. These are the ones such URLs are seen with; a URL on another host needs
// CRM_SYNC_ALERT_WEBHOOK_FORMAT=teams.
const teamsWorkflowHosts = [
  /(^|\.)logic\.azure\.com$/u,
  /(^|\.)powerautomate\.com$/u,
  /(^|\.)powerplatform\.com$/u,
  /^flow\.microsoft\.com$/u,
];

/** The format a webhook host takes, when the host is recognised; `null` otherwise. */
export function formatForHost(hostname: string): ChatFormat | null {
  const host = hostname.toLowerCase();
  if (slackHosts.some((pattern) => pattern.test(host))) return 'slack';
  if ([...teamsConnectorHosts, ...teamsWorkflowHosts].some((pattern) => pattern.test(host))) return 'teams';
  return null;
}
