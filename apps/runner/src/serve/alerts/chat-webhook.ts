import type { ChatAlertSettings } from './alert-config.js';
import { type AlertChannel, type AlertMessage, alertLines } from './alert-message.js';
import type { ChatFormat } from './chat-hosts.js';

/** Slack treats `&`, `<` and `>` as control characters in text: they are sent as HTML entities. */
function slackEscaped(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * Slack's incoming webhook payload: `{ "text": … }` (https://api.slack.com/messaging/webhooks), with the control
 * characters escaped (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function slackPayload(message: AlertMessage): { text: string } {
  return { text: slackEscaped([`*${message.subject}*`, '', ...alertLines(message)].join('\n')) };
}

/**
 * A Teams message carrying one Adaptive Card, the format both Teams' incoming webhooks and the Workflows webhook
 * trigger take: `type` "message", the card in `attachments[0].content` with contentType
 * `application/vnd.microsoft.card.adaptive`
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook;
 * Workflows take Adaptive Cards only). Version 1.2, as in Microsoft's example. The console link is an
 * `Action.OpenUrl`, an action incoming webhooks support.
 */
export function teamsPayload(message: AlertMessage): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: message.subject, weight: 'Bolder', size: 'Medium', wrap: true },
  ];
  for (const section of message.sections) {
    body.push({ type: 'TextBlock', text: section.heading, weight: 'Bolder', wrap: true, spacing: 'Medium' });
    for (const line of section.lines)
      body.push({ type: 'TextBlock', text: line, wrap: true, spacing: 'None' });
  }
  body.push({
    type: 'TextBlock',
    text: `Sent by crm-sync serve at ${message.at}.`,
    isSubtle: true,
    wrap: true,
  });
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.2',
    body,
  };
  if (message.link !== null)
    card.actions = [{ type: 'Action.OpenUrl', title: 'Open the console', url: message.link }];
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}

export function chatPayload(format: ChatFormat, message: AlertMessage): unknown {
  return format === 'teams' ? teamsPayload(message) : slackPayload(message);
}

/**
 * Alerts to a chat webhook: one JSON POST per alert, abandoned after `timeoutMs`. Any answer but a 2xx is a failure
 * (redirects are not followed: the JSON goes to the configured URL only). Teams' connectors have answered 200 with
 * "HTTP error 429" in the body when throttling (the rate-limit section of the page above): that is a failure too.
 */
export function createChatWebhookChannel(
  settings: ChatAlertSettings,
  options: { readonly timeoutMs?: number } = {},
): AlertChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const host = new URL(settings.url).host;
  return {
    name: `${settings.format} webhook at ${host}`,
    async send(message: AlertMessage) {
      const response = await fetch(settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chatPayload(settings.format, message)),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = (await response.text()).slice(0, 200);
      if (response.status < 200 || response.status > 299)
        throw new Error(`the ${settings.format} webhook at ${host} answered ${response.status}: ${answer}`);
      if (/HTTP error 429/u.test(answer))
        throw new Error(`the ${settings.format} webhook at ${host} is throttling: ${answer}`);
    },
    close() {},
  };
}
