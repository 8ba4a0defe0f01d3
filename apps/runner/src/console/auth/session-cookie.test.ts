import { describe, expect, it } from 'vitest';
import { cookiesAreSecure } from './session-cookie.js';

describe('whether the console cookies are Secure', () => {
  it('is not on plain http at loopback only (browsers drop Secure cookies over http)', () => {
    expect(cookiesAreSecure({ publicUrl: null, host: '127.0.0.1' })).toBe(false);
    expect(cookiesAreSecure({ publicUrl: null, host: 'localhost' })).toBe(false);
    expect(cookiesAreSecure({ publicUrl: null, host: '::1' })).toBe(false);
    expect(cookiesAreSecure({ publicUrl: 'http://127.0.0.1:8787', host: '127.0.0.1' })).toBe(false);
  });

  it('is behind an https public URL, and on plain http anywhere else', () => {
    expect(cookiesAreSecure({ publicUrl: 'https://sync.example.no', host: '127.0.0.1' })).toBe(true);
    expect(cookiesAreSecure({ publicUrl: 'http://sync.example.no', host: '127.0.0.1' })).toBe(true);
    expect(cookiesAreSecure({ publicUrl: null, host: '0.0.0.0' })).toBe(true);
    expect(cookiesAreSecure({ publicUrl: null, host: '10.0.0.5' })).toBe(true);
  });
});
