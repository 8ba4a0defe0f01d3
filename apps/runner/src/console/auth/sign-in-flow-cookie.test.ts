import { describe, expect, it } from 'vitest';
import { createSignInFlowSealer, signInFlowLifetimeMs } from './sign-in-flow-cookie.js';

const flow = { state: 'state-value', nonce: 'nonce-value', codeVerifier: 'verifier-value' };
const at = new Date('2026-03-02T09:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);

describe('the single sign-on flow’s cookie', () => {
  it('opens what it sealed, within ten minutes, and hides the values', () => {
    const sealer = createSignInFlowSealer();
    const sealed = sealer.seal(flow, at);
    expect(sealer.open(sealed, later(signInFlowLifetimeMs - 1))).toEqual(flow);
    const bytes = Buffer.from(sealed, 'base64url').toString('latin1');
    for (const value of Object.values(flow)) expect(bytes).not.toContain(value);
  });

  it('refuses an expired one, an altered one, one sealed by another console (or before a restart), and rubbish', () => {
    const sealer = createSignInFlowSealer();
    const sealed = sealer.seal(flow, at);
    expect(sealer.open(sealed, later(signInFlowLifetimeMs))).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    for (const position of [0, 12, 20, 28, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[position] = (altered[position] ?? 0) ^ 1;
      expect(sealer.open(altered.toString('base64url'), at), `byte ${position}`).toBeNull();
    }
    expect(createSignInFlowSealer().open(sealed, at)).toBeNull();
    expect(sealer.open('', at)).toBeNull();
    expect(sealer.open('not a sealed flow at all, but long enough to be read', at)).toBeNull();
  });
});
