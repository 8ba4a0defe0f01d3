import { createHash } from 'node:crypto';
import type { StateStore } from '../../state/state-store.js';

/** At most 5 failed sign-ins per user name and per client address in any 15 minutes; then 429 until one ages out. */
export const loginLimits = { failures: 5, windowMs: 15 * 60_000 } as const;

export type LoginFailureStore = Pick<
  StateStore,
  'recordLoginFailure' | 'loginFailuresAfter' | 'clearLoginFailures' | 'pruneLoginFailures'
>;

/** One sign-in attempt let through: say how it ended. */
export interface LoginAttempt {
  failed(now: Date): Promise<void>;
  succeeded(): Promise<void>;
}

export type LoginAdmission =
  | { readonly ok: true; readonly attempt: LoginAttempt }
  | { readonly ok: false; readonly retryAfterSeconds: number };

/**
 * Subjects are stored hashed (SHA-256), so the state does not keep client addresses in the clear; an IPv4
 * address's hash can be reversed by trying them all, which is why rows are also forgotten once outside the window.
 */
const subjectOf = (kind: 'user' | 'address', value: string) =>
  createHash('sha256').update(`${kind}:${value}`).digest('hex');

/**
 * The sign-in rate limit. Failures are kept in the state store, so a restart does not reset the count; attempts
 * still being verified are counted in memory as well, so parallel guesses cannot all pass before the first failure
 * is recorded. A success clears the user name's failures (the address's age out: one account's success must not
 * unlock guessing at others). Five failures lock a user name for up to 15 minutes, whoever made them: the price
 * of limiting guesses per name.
 */
export function createLoginRateLimit(store: LoginFailureStore, limits = loginLimits) {
  const inFlight = new Map<string, number>();
  const change = (subject: string, by: number) => {
    const count = (inFlight.get(subject) ?? 0) + by;
    if (count === 0) inFlight.delete(subject);
    else inFlight.set(subject, count);
  };

  /** Seconds until the subject may try again; 0 when it may now. */
  const wait = async (subject: string, now: Date): Promise<number> => {
    // A failure exactly one window old has aged out.
    const windowStart = new Date(now.getTime() - limits.windowMs).toISOString();
    const failures = await store.loginFailuresAfter(subject, windowStart);
    // `inFlight` includes this attempt.
    if (failures.length + (inFlight.get(subject) ?? 0) <= limits.failures) return 0;
    const freesSlot = failures[failures.length - limits.failures];
    if (freesSlot === undefined) return 1;
    return Math.max(1, Math.ceil((Date.parse(freesSlot) + limits.windowMs - now.getTime()) / 1000));
  };

  return {
    async admit(
      who: { readonly userName: string; readonly address: string },
      now: Date,
    ): Promise<LoginAdmission> {
      const userSubject = subjectOf('user', who.userName);
      const subjects = [userSubject, subjectOf('address', who.address)];
      for (const subject of subjects) change(subject, 1);
      const release = () => {
        for (const subject of subjects) change(subject, -1);
      };
      const waits = await Promise.all(subjects.map((subject) => wait(subject, now))).catch(
        (error: unknown) => {
          release();
          throw error;
        },
      );
      const retryAfterSeconds = Math.max(...waits);
      if (retryAfterSeconds > 0) {
        release();
        return { ok: false, retryAfterSeconds };
      }
      let settled = false;
      const settle = async (work: () => Promise<void>) => {
        if (settled) return;
        settled = true;
        try {
          await work();
        } finally {
          release();
        }
      };
      return {
        ok: true,
        attempt: {
          failed: (at) =>
            settle(async () => {
              for (const subject of subjects) await store.recordLoginFailure(subject, at.toISOString());
              await store.pruneLoginFailures(new Date(at.getTime() - limits.windowMs).toISOString());
            }),
          succeeded: () => settle(() => store.clearLoginFailures(userSubject)),
        },
      };
    },
  };
}

export type LoginRateLimit = ReturnType<typeof createLoginRateLimit>;
