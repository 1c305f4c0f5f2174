/**
 * The runtime version this kernel reports and checks `astrid-version`
 * requirements against. It is the version of the reference capsule ABI we
 * implement (Astrid v0.8.0); a test keeps it equal to package.json.
 */
export const ASTRID_VERSION = '0.8.0';
