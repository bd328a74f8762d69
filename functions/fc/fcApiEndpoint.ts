/**
 * The FC 3.0 API endpoint a function calls to invoke another one: FUNCTION_COMPUTE_ENDPOINT when set
 * (tests, another endpoint; FC reserves FC_* names for itself), otherwise https://<FC_ACCOUNT_ID>.<FC_REGION>.fc.aliyuncs.com
 * from the variables Function Compute sets in every instance. Throws with the fix when neither is there.
 */
export function fcApiEndpoint(env: NodeJS.ProcessEnv): string {
  const override = env.FUNCTION_COMPUTE_ENDPOINT?.trim();
  if (override) {
    if (!URL.canParse(override)) throw new Error(`FUNCTION_COMPUTE_ENDPOINT "${override}" is not a URL, e.g. https://123456789.cn-hangzhou.fc.aliyuncs.com`);
    return override.replace(/\/+$/, '');
  }
  const account = env.FC_ACCOUNT_ID?.trim();
  const region = env.FC_REGION?.trim();
  if (!account || !region) {
    throw new Error(
      'cannot tell the Function Compute API endpoint: FC_ACCOUNT_ID and FC_REGION are not set (Function Compute sets them in every instance; elsewhere set FUNCTION_COMPUTE_ENDPOINT)',
    );
  }
  return `https://${account}.${region}.fc.aliyuncs.com`;
}
