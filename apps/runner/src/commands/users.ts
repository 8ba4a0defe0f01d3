import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { type Command, Option } from 'commander';
import { defaults } from '../config/config.js';
import { normalizeUserName, passwordProblem, userNameProblem } from '../console/auth/account-rules.js';
import { hashPassword, type ScryptParameters } from '../console/auth/password-hashing.js';
import { type ConsoleRole, consoleRoles } from '../console/auth/roles.js';
import { table } from '../output/table.js';
import { openStateStore } from '../state/open-state-store.js';
import { describeStateLocation } from '../state/state-location.js';
import type { AccountChange, AuditEntry, ConsoleUser, StateStore } from '../state/state-store.js';
import { cliActor } from './cli-actor.js';
import { exitCodes } from './runtime.js';

export type UsersStore = Pick<
  StateStore,
  | 'addConsoleUser'
  | 'consoleUsers'
  | 'setConsolePassword'
  | 'setConsoleUserRole'
  | 'removeConsoleUser'
  | 'recordAudit'
>;

/** Where `crm-sync users` talks: results on stdout, refusals on stderr, the password from stdin or a prompt. */
export interface UsersIo {
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
  /** Everything on standard input (for `--password-stdin`). */
  readonly readStdin: () => Promise<string>;
  readonly stdinIsTerminal: boolean;
  /** Asks on the terminal without echoing what is typed. */
  readonly askHidden: (question: string) => Promise<string>;
  readonly now: () => Date;
  /** Who runs the command, for the audit log: `cli:<operating-system user>`. */
  readonly actor: string;
  /** scrypt's cost (tests lower it); the default otherwise. */
  readonly hashParameters?: ScryptParameters | undefined;
}

/** The password: standard input with `--password-stdin` (one trailing newline dropped), else asked twice on a terminal. */
async function readPassword(
  command: string,
  passwordStdin: boolean,
  io: UsersIo,
): Promise<{ ok: true; password: string } | { ok: false; problem: string }> {
  if (passwordStdin) return { ok: true, password: (await io.readStdin()).replace(/\r?\n$/u, '') };
  if (!io.stdinIsTerminal)
    return {
      ok: false,
      problem: `${command}: standard input is not a terminal, so the password cannot be asked for: add --password-stdin and pass the password on standard input (e.g. printf '%s' "$PASSWORD" | crm-sync ${command} … --password-stdin)`,
    };
  const password = await io.askHidden('Password: ');
  if ((await io.askHidden('The same password again: ')) !== password)
    return { ok: false, problem: `${command}: the two passwords differ; nothing changed` };
  return { ok: true, password };
}

/** The name and password checked against the account rules, and the password hashed. */
async function credentials(
  command: string,
  typedName: string,
  passwordStdin: boolean,
  io: UsersIo,
): Promise<{ name: string; passwordHash: string } | null> {
  const nameProblem = userNameProblem(typedName);
  if (nameProblem !== null) {
    io.warn(`crm-sync ${command}: ${nameProblem}`);
    return null;
  }
  const name = normalizeUserName(typedName);
  const read = await readPassword(`${command} ${name}`, passwordStdin, io);
  if (!read.ok) {
    io.warn(`crm-sync ${read.problem}`);
    return null;
  }
  const problem = passwordProblem(name, read.password);
  if (problem !== null) {
    io.warn(`crm-sync ${command}: ${problem}; nothing changed`);
    return null;
  }
  return { name, passwordHash: await hashPassword(read.password, io.hashParameters) };
}

/** Says on stderr that there is no account by that name, and where to see them; the exit code of a usage error. */
function noSuchUser(command: string, name: string, io: UsersIo): number {
  io.warn(`crm-sync users ${command}: there is no user "${name}" (see \`crm-sync users list\`)`);
  return exitCodes.configuration;
}

/** Records a change in the audit log under the person running the command, says what was done, and exits 0. */
async function changed(
  store: UsersStore,
  io: UsersIo,
  entry: Omit<AuditEntry, 'actor'>,
  done: string,
): Promise<number> {
  await store.recordAudit({ ...entry, actor: io.actor });
  io.write(done);
  return exitCodes.clean;
}

/** `crm-sync users add NAME --role viewer|operator [--password-stdin]`. */
export async function usersAddCommand(
  store: UsersStore,
  typedName: string,
  options: { readonly role: ConsoleRole; readonly passwordStdin: boolean },
  io: UsersIo,
): Promise<number> {
  const account = await credentials('users add', typedName, options.passwordStdin, io);
  if (account === null) return exitCodes.configuration;
  const at = io.now().toISOString();
  const added = await store.addConsoleUser({ ...account, role: options.role, createdAt: at });
  if (!added) {
    io.warn(
      `crm-sync users add: user "${account.name}" exists already; change its password with \`crm-sync users passwd ${account.name}\`, or remove it first`,
    );
    return exitCodes.configuration;
  }
  return changed(
    store,
    io,
    {
      at,
      action: 'user.add',
      target: account.name,
      before: null,
      after: { role: options.role },
    },
    `Added user ${account.name} (${options.role}).`,
  );
}

/** `crm-sync users passwd NAME [--password-stdin]`: a new password; the user's sessions end. */
export async function usersPasswdCommand(
  store: UsersStore,
  typedName: string,
  options: { readonly passwordStdin: boolean },
  io: UsersIo,
): Promise<number> {
  const account = await credentials('users passwd', typedName, options.passwordStdin, io);
  if (account === null) return exitCodes.configuration;
  const at = io.now().toISOString();
  if (!(await store.setConsolePassword(account.name, account.passwordHash, at)))
    return noSuchUser('passwd', account.name, io);
  return changed(
    store,
    io,
    {
      at,
      action: 'user.passwd',
      target: account.name,
      before: null,
      after: { passwordChangedAt: at },
    },
    `Changed the password of ${account.name}; its sessions have ended.`,
  );
}

/**
 * Says why the store refused: the account is gone, or it is the only operator account (the store checks that in
 * the change's own transaction, so two changes at once cannot both pass), and without one nobody can act in the
 * console or add an operator there. The exit code of a usage error.
 */
function refused(
  result: Exclude<AccountChange, 'changed'>,
  command: 'remove' | 'role',
  name: string,
  io: UsersIo,
): number {
  if (result === 'no-such-user') return noSuchUser(command, name, io);
  const doing = command === 'remove' ? `removing ${name}` : `making ${name} a viewer`;
  const again = command === 'remove' ? `users remove ${name}` : `users role ${name} --role viewer`;
  io.warn(
    `crm-sync users ${command}: ${name} is the last operator account, and ${doing} would leave the console without anyone who may act (resolve conflicts, retry, exclude, link candidates); nothing changed. Add another operator first (\`crm-sync users add NAME --role operator --password-stdin\`), or, to do it anyway, \`crm-sync ${again} --force\``,
  );
  return exitCodes.configuration;
}

/** The account by name, or a refusal on stderr naming it and where to see the accounts. */
async function existingUser(
  store: UsersStore,
  command: 'remove' | 'role',
  name: string,
  io: UsersIo,
): Promise<ConsoleUser | null> {
  const user = (await store.consoleUsers()).find((candidate) => candidate.name === name);
  if (user === undefined) noSuchUser(command, name, io);
  return user ?? null;
}

/**
 * `crm-sync users role NAME --role viewer|operator [--force]`: another role for the account; its sessions end, so
 * it signs in again with the new one. Making the last operator a viewer is refused unless `--force`.
 */
export async function usersRoleCommand(
  store: UsersStore,
  typedName: string,
  options: { readonly role: ConsoleRole; readonly force: boolean },
  io: UsersIo,
): Promise<number> {
  const name = normalizeUserName(typedName);
  const user = await existingUser(store, 'role', name, io);
  if (user === null) return exitCodes.configuration;
  if (user.role === options.role) {
    io.write(
      `${name} is ${options.role === 'operator' ? 'an operator' : 'a viewer'} already; nothing changed.`,
    );
    return exitCodes.clean;
  }
  const at = io.now().toISOString();
  const result = await store.setConsoleUserRole(name, options.role, at, { keepAnOperator: !options.force });
  if (result !== 'changed') return refused(result, 'role', name, io);
  return changed(
    store,
    io,
    {
      at,
      action: 'user.role',
      target: name,
      before: { role: user.role },
      after: { role: options.role },
    },
    `Changed the role of ${name} from ${user.role} to ${options.role}; its sessions have ended.`,
  );
}

/** `crm-sync users remove NAME [--force]`: the account and its sessions go; the last operator only with `--force`. */
export async function usersRemoveCommand(
  store: UsersStore,
  typedName: string,
  options: { readonly force: boolean },
  io: UsersIo,
): Promise<number> {
  const name = normalizeUserName(typedName);
  const before = await existingUser(store, 'remove', name, io);
  if (before === null) return exitCodes.configuration;
  const result = await store.removeConsoleUser(name, { keepAnOperator: !options.force });
  if (result !== 'changed') return refused(result, 'remove', name, io);
  return changed(
    store,
    io,
    {
      at: io.now().toISOString(),
      action: 'user.remove',
      target: name,
      before: { role: before.role, createdAt: before.createdAt },
      after: null,
    },
    `Removed user ${name}; its sessions have ended.`,
  );
}

/** `crm-sync users list [--json]`: names, roles, when created, last sign-in. Never a hash. */
export async function usersListCommand(
  store: UsersStore,
  options: { readonly json: boolean },
  io: UsersIo,
): Promise<number> {
  const users = await store.consoleUsers();
  if (options.json) io.write(JSON.stringify(users, null, 2));
  else if (users.length === 0)
    io.write(
      'No console users yet: add one with `crm-sync users add NAME --role operator --password-stdin`.',
    );
  else
    io.write(
      table(
        ['name', 'role', 'created', 'last sign-in'],
        users.map((user) => [user.name, user.role, user.createdAt, user.lastSignInAt ?? 'never']),
      ),
    );
  return exitCodes.clean;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal (stderr) with echo off: readline writes the typed characters to a muted stream. */
async function askHiddenOnTerminal(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const terminal = createInterface({ input: process.stdin, output: muted, terminal: true });
  // Ctrl-C while asking: stop, as a shell's interrupted command does (128 + SIGINT's 2).
  terminal.on('SIGINT', () => {
    process.stderr.write('\n');
    process.exit(130);
  });
  process.stderr.write(question);
  try {
    return await terminal.question('');
  } finally {
    terminal.close();
    process.stderr.write('\n');
  }
}

/** Runs a users command on the state store `CRM_SYNC_STATE` names: no HubSpot or Business NXT settings needed. */
async function withAccounts(action: (store: StateStore, io: UsersIo) => Promise<number>): Promise<void> {
  const path = process.env.CRM_SYNC_STATE?.trim() || defaults.statePath;
  const io: UsersIo = {
    write: (text) => process.stdout.write(`${text}\n`),
    warn: (text) => process.stderr.write(`${text}\n`),
    readStdin: readAllStdin,
    stdinIsTerminal: process.stdin.isTTY === true,
    askHidden: askHiddenOnTerminal,
    now: () => new Date(),
    actor: cliActor(),
  };
  let store: StateStore;
  try {
    store = openStateStore(path);
    await store.migrate();
  } catch (error) {
    io.warn(
      `crm-sync: CRM_SYNC_STATE: cannot open or write the state store ${describeStateLocation(path)} (${error instanceof Error ? error.message : String(error)}): point CRM_SYNC_STATE at the service's state file`,
    );
    process.exitCode = exitCodes.configuration;
    return;
  }
  try {
    process.exitCode = await action(store, io);
  } finally {
    await store.close();
  }
}

/** `--role viewer|operator`, required. */
const roleOption = () =>
  new Option('--role <role>', 'viewer: sees, personal data masked; operator: may act, sees personal data')
    .choices(consoleRoles)
    .makeOptionMandatory();

/** `crm-sync users add|passwd|role|remove|list`: the operator console's local accounts. */
export function registerUsersCommand(program: Command): void {
  const users = program
    .command('users')
    .description("the operator console's accounts (in the state store CRM_SYNC_STATE names)")
    .addHelpText(
      'after',
      [
        '',
        'Roles: viewer sees every page with personal data masked and cannot act; operator may act.',
        "A password or role change and a removal end the account's sessions. Each change is in the audit log",
        'as cli:<operating-system user>. The last operator account cannot be removed or made a viewer: add',
        'another operator first (or pass --force).',
      ].join('\n'),
    );
  const stdin = ['--password-stdin', 'read the password from standard input (for scripts)', false] as const;
  users
    .command('add <name>')
    .description('add an account; asks for the password on a terminal, or reads it with --password-stdin')
    .addOption(roleOption())
    .option(...stdin)
    .action(async (name: string, options: { role: ConsoleRole; passwordStdin: boolean }) =>
      withAccounts((store, io) => usersAddCommand(store, name, options, io)),
    );
  users
    .command('passwd <name>')
    .description("set an account's password (its sessions end)")
    .option(...stdin)
    .action(async (name: string, options: { passwordStdin: boolean }) =>
      withAccounts((store, io) => usersPasswdCommand(store, name, options, io)),
    );
  const force = [
    '--force',
    'do it even to the last operator account (the console is then left without anyone who may act)',
    false,
  ] as const;
  users
    .command('role <name>')
    .description(
      'give an account another role (its sessions end); making the last operator a viewer is refused without --force',
    )
    .addOption(roleOption())
    .option(...force)
    .action(async (name: string, options: { role: ConsoleRole; force: boolean }) =>
      withAccounts((store, io) => usersRoleCommand(store, name, options, io)),
    );
  users
    .command('remove <name>')
    .description(
      'remove an account (its sessions end); removing the last operator is refused without --force',
    )
    .option(...force)
    .action(async (name: string, options: { force: boolean }) =>
      withAccounts((store, io) => usersRemoveCommand(store, name, options, io)),
    );
  users
    .command('list')
    .description('accounts: name, role, created, last sign-in')
    .option('--json', 'print as JSON', false)
    .action(async (options: { json: boolean }) =>
      withAccounts((store, io) => usersListCommand(store, options, io)),
    );
}
