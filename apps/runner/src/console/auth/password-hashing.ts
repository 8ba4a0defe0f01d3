import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters: N (CPU and memory cost, a power of two), r (block size), p (parallelization). */
export interface ScryptParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N=2^17, r=8, p=1: OWASP's minimum for scrypt (128 MiB and about half a second per hash on a small server),
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt. Hashes keep their
 * parameters, so raising these later leaves older hashes verifiable.
 */
export const defaultScryptParameters: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };

const saltBytes = 16;
const keyBytes = 32;
// A hash read back from the state is checked against these before it is computed: a tampered row must not make
// a sign-in allocate gigabytes.
const largestN = 2 ** 20;
const largestRp = 64;

/** Memory scrypt needs, with room: Node refuses when about 128·N·r exceeds `maxmem`. */
const memoryFor = (parameters: ScryptParameters) => 128 * parameters.N * parameters.r * 2 + 1024 * 1024;

// At most two hashes at a time: each takes 128 MiB and a libuv thread (the pool is shared with file and DNS work),
// so a burst of sign-ins queues here instead of exhausting memory.
const concurrentHashes = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= concurrentHashes) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/**
 * https://nodejs.org/api/crypto.html#cryptoscryptpassword-salt-keylen-options-callback. The password is NFKC
 * normalised first, so the same characters typed on another keyboard or system hash alike
 * (https://pages.nist.gov/800-63-3/sp800-63b.html#memsecretver).
 */
function derive(
  password: string,
  salt: Buffer,
  parameters: ScryptParameters,
  length: number,
): Promise<Buffer> {
  return limited(
    () =>
      new Promise((resolve, reject) => {
        const options = { ...parameters, maxmem: memoryFor(parameters) };
        scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
          error === null ? resolve(key) : reject(error),
        );
      }),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url; a new random salt for every hash. */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = defaultScryptParameters,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, parameters, keyBytes);
  const { N, r, p } = parameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || salt === undefined || key === undefined) return null;
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  const { N } = parameters;
  const bounded = (value: number, largest: number) =>
    Number.isInteger(value) && value >= 1 && value <= largest;
  if (!bounded(N, largestN) || (N & (N - 1)) !== 0 || N < 2) return null;
  if (!bounded(parameters.r, largestRp) || !bounded(parameters.p, largestRp)) return null;
  const decodedKey = Buffer.from(key, 'base64url');
  if (decodedKey.length < 16) return null;
  return { parameters, salt: Buffer.from(salt, 'base64url'), key: decodedKey };
}

/**
 * Whether the password is the one the stored hash was made from, compared in constant time
 * (https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b). A hash that is not of this form never verifies.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.parameters, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

const decoys = new Map<string, Promise<string>>();

/**
 * For a user name that has no account: spends the time a real verification would, so the answer's timing does
 * not tell which names exist. Always false.
 */
export async function verifyWithoutAccount(
  password: string,
  parameters: ScryptParameters = defaultScryptParameters,
): Promise<false> {
  const key = `${parameters.N}$${parameters.r}$${parameters.p}`;
  let decoy = decoys.get(key);
  if (decoy === undefined) {
    decoy = hashPassword('no account has this password', parameters);
    decoys.set(key, decoy);
  }
  await verifyPassword(password, await decoy);
  return false;
}
