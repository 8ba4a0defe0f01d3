import { createTransport, type SendMailOptions } from 'nodemailer';
import type { EmailAlertSettings } from './alert-config.js';
import { type AlertChannel, type AlertMessage, alertText } from './alert-message.js';

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/u;

/**
 * Alerts by email: one plain-text message to every recipient, through the SMTP server of `CRM_SYNC_ALERT_SMTP_URL`.
 * Each send opens its own connection (nothing is held between alerts) and gives up after `timeoutMs`. Over
 * `smtp://` a login is only sent after STARTTLS (`requireTLS`), except to a server on this machine.
 */
export function createEmailChannel(
  settings: EmailAlertSettings,
  options: { readonly timeoutMs?: number } = {},
): AlertChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(settings.smtpUrl);
  const hasLogin = url.username !== '';
  // Nodemailer's SMTP transport takes the connection URL as `url`, the other options merged with what it parses;
  // the timeouts bound each step of the connection (https://nodemailer.com/smtp/).
  const transport = createTransport({
    url: settings.smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    requireTLS: url.protocol === 'smtp:' && hasLogin && !loopbackHosts.test(url.hostname),
  });
  return {
    name: `email via ${url.hostname}`,
    async send(message: AlertMessage) {
      // Nodemailer 10.5 aborts a send on its `signal` (its changelog: "support AbortSignal for individual sends",
      // https://github.com/nodemailer/nodemailer/blob/master/CHANGELOG.md); it bounds the send as a whole.
      const mail: SendMailOptions & { signal: AbortSignal } = {
        from: settings.from,
        to: [...settings.to],
        subject: message.subject,
        text: alertText(message),
        signal: AbortSignal.timeout(timeoutMs),
      };
      await transport.sendMail(mail);
    },
    close() {
      transport.close();
    },
  };
}
