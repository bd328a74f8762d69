import { AsyncLocalStorage } from 'node:async_hooks';
import { credentialsFromEnv, credentialsFromHeaders } from './fcCredentials.ts';
import type { AcsCredentials } from './signAcs3.ts';

/**
 * The function role's credentials for the invocation being handled. FC hands fresh STS credentials
 * with every request (x-fc-access-key-id / -secret / x-fc-security-token) and older ones in the
 * environment, which may have expired by the time a long-lived instance uses them; so each request
 * runs with its own, and code anywhere below the handler (the FC invoker, an OSS upload) asks
 * `current()`. Outside a request, or when FC sent none, the environment's are used.
 */
export function createRequestCredentials(env: NodeJS.ProcessEnv) {
  const store = new AsyncLocalStorage<AcsCredentials | undefined>();
  return {
    /** Run `fn` with the credentials of `request` (when it carries them). */
    run<T>(request: Request, fn: () => T): T {
      return store.run(credentialsFromHeaders(request.headers), fn);
    },
    /** The credentials to sign with now, or undefined when the function has no role. */
    current(): AcsCredentials | undefined {
      return store.getStore() ?? credentialsFromEnv(env);
    },
  };
}
