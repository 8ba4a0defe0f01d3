import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 just now, for a server whose address must be known before it starts (the console's
 * public URL is registered at the OpenID Connect provider first). Another process could take it in between; the
 * server then fails to start, loudly.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
