import { createHmac } from 'node:crypto';
import type { StateMeta } from './state-meta.js';

/** The `state_meta` row holding the check value of the fingerprint key. */
export const hashKeyCheckName = 'fingerprint-key-check';

/** What the check value is the HMAC of: fixed, so the same key always gives the same value. */
const checkLabel = 'crm-sync fingerprint key check, version 1';

/**
 * The key's check value: HMAC-SHA256 of a fixed label under the key. It tells whether two keys are the same and
 * nothing more: it cannot be turned back into the key, and reveals no more than the fingerprints themselves do
 * (each is an HMAC under the same key).
 */
export function hashKeyCheckValue(key: string): string {
  return createHmac('sha256', key).update(checkLabel).digest('hex');
}

/** `recorded`: the state had no check value (made before crm-sync kept one), and has this key's now. */
export type HashKeyCheck = 'matches' | 'recorded' | 'differs';

/** Compares the key with the one the state was made with, recording this one's check value when it has none. */
export async function checkHashKey(meta: StateMeta, key: string, at: string): Promise<HashKeyCheck> {
  const expected = hashKeyCheckValue(key);
  const stored = await meta.get(hashKeyCheckName);
  if (stored !== null) return stored === expected ? 'matches' : 'differs';
  return (await meta.recordOnce(hashKeyCheckName, expected, at)) === expected ? 'recorded' : 'differs';
}

/** The refusal for a state whose key is another: `shown` is the state's location, its password masked. */
export function hashKeyMismatchMessage(shown: string): string {
  return `CRM_SYNC_HASH_KEY: the fingerprint key is not the one the state ${shown} was made with, so its fingerprints would match no field and every field the two systems differ in would look changed on both sides: every instance and command on one state needs the key it was made with. Set CRM_SYNC_HASH_KEY or CRM_SYNC_HASH_KEY_FILE to that key (for a SQLite state the hash-key file beside it; for a state \`crm-sync state copy\` made, the file its --hash-key-file wrote)`;
}
