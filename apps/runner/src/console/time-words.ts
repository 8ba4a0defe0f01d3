import { html } from 'hono/html';
import type { Markup } from './layout.js';

/** An instant as the console shows it: `2026-03-02 09:00:05 UTC`, in a `<time>` element carrying the ISO value. */
export function instant(iso: string | null | undefined): Markup {
  if (iso === null || iso === undefined || iso === '') return html`<span class="muted">never</span>`;
  const parsed = Date.parse(iso);
  // Business NXT's own times come without a zone (its server's local time): shown as written.
  if (!/[zZ]|[+-]\d\d:\d\d$/u.test(iso) || Number.isNaN(parsed))
    return html`<span>${iso} (Business NXT local time)</span>`;
  const text = `${new Date(parsed).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return html`<time datetime="${iso}">${text}</time>`;
}

/** A length of time in words: `350 ms`, `42 s`, `3 min 5 s`, `2 h 10 min`, `3 d 4 h`. */
export function durationWords(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))} ms`;
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** How far an instant is from now: `5 min ago`, `in 3 min`. */
export function relativeWords(iso: string | Date, now: Date): string {
  const at = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  const difference = at - now.getTime();
  return difference < 0 ? `${durationWords(-difference)} ago` : `in ${durationWords(difference)}`;
}
