import { userInfo } from 'node:os';

/**
 * Who runs a command, as the audit log records it: `cli:<operating-system user>` (`cli` when the system cannot
 * say, as in a container without a passwd entry for the user).
 */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
