import { AsyncLocalStorage } from 'node:async_hooks';
import { createFcInvoker, type FcInvoke } from './createFcInvoker.ts';
import { fcApiEndpoint } from './fcApiEndpoint.ts';
import { credentialsFromEnv, credentialsFromHeaders } from './fcCredentials.ts';
import type { AcsCredentials } from './signAcs3.ts';

export interface SelfInvoker {
  /** The function's own name: FC_FUNCTION_NAME (FC sets it), else BUILDER_FUNCTION_NAME, else docs-sync-builder. */
  functionName: string;
  invoke: FcInvoke;
  /** Run `fn` with the credentials FC sent in this request's x-fc-* headers (fresher than the environment). */
  withRequest<T>(headers: Headers, fn: () => T): T;
}

/**
 * Async invocations of the builder function by itself (the next waiting build, see runBuildJob),
 * signed with the function role's credentials. The invoker is made on first use: without an FC
 * endpoint or a role nothing else is affected, only that invocation fails (and is logged).
 */
export function createSelfInvoker(env: NodeJS.ProcessEnv, fetch?: typeof globalThis.fetch): SelfInvoker {
  const functionName = env.FC_FUNCTION_NAME?.trim() || env.BUILDER_FUNCTION_NAME?.trim() || 'docs-sync-builder';
  const scoped = new AsyncLocalStorage<AcsCredentials | undefined>();
  const credentials = (): AcsCredentials => {
    const found = scoped.getStore() ?? credentialsFromEnv(env);
    if (!found) throw new Error('no credentials to call Function Compute with: give the builder a role (s.yaml "role") allowed to invoke it');
    return found;
  };
  let invoker: FcInvoke | undefined;
  return {
    functionName,
    invoke: (payload, taskId, options) => {
      invoker ??= createFcInvoker({ endpoint: fcApiEndpoint(env), functionName, credentials, ...(fetch ? { fetch } : {}) });
      return invoker(payload, taskId, options);
    },
    withRequest: (headers, fn) => scoped.run(credentialsFromHeaders(headers), fn),
  };
}
