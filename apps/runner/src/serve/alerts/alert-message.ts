/** One part of an alert: a heading and its lines (ids, rules, counts: never personal data). */
export interface AlertSection {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** One alert, as every channel sends it: a short subject, its sections, and a link to the console when configured. */
export interface AlertMessage {
  /** Short, for an email subject or a chat title: `crm-sync: cycle failed`. */
  readonly subject: string;
  readonly sections: readonly AlertSection[];
  /** `CRM_SYNC_CONSOLE_URL`, when set. */
  readonly link: string | null;
  /** When the alerter decided to send it (ISO 8601, UTC): a message held back by a channel that was down says so. */
  readonly at: string;
}

/** Somewhere alerts go. `send` rejects when the message was not accepted; the delivery logs it and tries later. */
export interface AlertChannel {
  /** For logs: the kind and the host, never a secret (`email via smtp.example.no`, `teams webhook at …`). */
  readonly name: string;
  send(message: AlertMessage): Promise<void>;
  /** Lets go of connections (the service stops). */
  close(): void;
}

/** The message as plain text: an email body, a Slack message, the lines of a Teams card. */
export function alertLines(message: AlertMessage): string[] {
  const lines: string[] = [];
  for (const section of message.sections) {
    if (lines.length > 0) lines.push('');
    lines.push(section.heading, ...section.lines.map((line) => `  ${line}`));
  }
  lines.push('');
  if (message.link !== null) lines.push(`Console: ${message.link}`);
  lines.push(`Sent by crm-sync serve at ${message.at}.`);
  return lines;
}

export function alertText(message: AlertMessage): string {
  return `${alertLines(message).join('\n')}\n`;
}
