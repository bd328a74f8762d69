import type { AcsCredentials } from './signAcs3.ts';

export { credentialsFromEnv } from '../core/config/cloudCredentials.ts';

/**
 * The function role's temporary credentials as Function Compute hands them to the function: in the
 * environment (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN) and, fresh on
 * every request, in the x-fc-access-key-id / x-fc-access-key-secret / x-fc-security-token headers.
 * Undefined when the function has no role. (credentialsFromEnv lives in core: the OSS target uses it too.)
 */
export function credentialsFromHeaders(headers: Headers): AcsCredentials | undefined {
  const accessKeyId = headers.get('x-fc-access-key-id')?.trim();
  const accessKeySecret = headers.get('x-fc-access-key-secret')?.trim();
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = headers.get('x-fc-security-token')?.trim();
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}
