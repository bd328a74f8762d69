/**
 * Alibaba Cloud credentials from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET and, for a
 * role's temporary STS credentials, ALIBABA_CLOUD_SECURITY_TOKEN), as Function Compute sets them for
 * a function with a role and as a user sets them locally. Undefined when they are not set.
 */
export interface CloudCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): CloudCredentials | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim();
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim();
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN?.trim();
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

/** A provider that reads the environment at each call, with an error that says what to set. */
export const envCredentials = (env: NodeJS.ProcessEnv, what: string) => (): CloudCredentials => {
  const found = credentialsFromEnv(env);
  if (!found)
    throw new Error(
      `no Alibaba Cloud credentials for ${what}: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (plus ALIBABA_CLOUD_SECURITY_TOKEN for STS), or give the function a role`,
    );
  return found;
};
