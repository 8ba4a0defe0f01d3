import type { SignedIn } from './auth/sessions.js';

/**
 * What console middleware hands to handlers: who is signed in (`null`: nobody). Set for every console request
 * by the session middleware of `consoleRoutes`; a handler mounted without it sees nobody signed in.
 */
export interface ConsoleEnv {
  Variables: { signedIn: SignedIn | null };
}
