import type { AlertConfig } from './alert-config.js';
import type { AlertChannel } from './alert-message.js';
import { createChatWebhookChannel } from './chat-webhook.js';
import { createEmailChannel } from './email.js';

/** The channels the configuration names: email, a chat webhook, both, or none (alerts off). */
export function alertChannelsFor(
  config: AlertConfig,
  options: { readonly timeoutMs?: number } = {},
): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (config.email !== null) channels.push(createEmailChannel(config.email, options));
  if (config.chat !== null) channels.push(createChatWebhookChannel(config.chat, options));
  return channels;
}
