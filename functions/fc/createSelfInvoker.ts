import { createFcInvoker, type FcInvoke } from './createFcInvoker.ts';
import { fcApiEndpoint } from './fcApiEndpoint.ts';
import type { AcsCredentials } from './signAcs3.ts';

export interface SelfInvoker {
  /** The function's own name: FC_FUNCTION_NAME (FC sets it), else BUILDER_FUNCTION_NAME, else docs-sync-builder. */
  functionName: string;
  invoke: FcInvoke;
}

/**
 * Async invocations of the builder function by itself (the next waiting build, see runBuildJob),
 * signed with the function role's credentials. The invoker is made on first use: without an FC
 * endpoint or a role nothing else is affected, only that invocation fails (and is logged).
 */
export function createSelfInvoker(env: NodeJS.ProcessEnv, current: () => AcsCredentials | undefined, fetch?: typeof globalThis.fetch): SelfInvoker {
  const functionName = env.FC_FUNCTION_NAME?.trim() || env.BUILDER_FUNCTION_NAME?.trim() || 'docs-sync-builder';
  // `current`: the credentials FC sent with the invocation being handled (createRequestCredentials), else the environment's.
  const credentials = (): AcsCredentials => {
    const found = current();
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
  };
}
