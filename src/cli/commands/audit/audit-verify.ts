import { EXIT } from '../../exit-codes.js';
import { type OutputFormat, printStructured, say } from '../../output.js';
import type { CliSession } from '../../session/cli-session.js';
import { type AuditVerifyResult, verifyReport } from './verify-report.js';

/** `astrid audit verify`: checks the daemon's audit chain; exit 0 when intact, 1 otherwise. */
export async function auditVerify(session: CliSession, format: OutputFormat): Promise<number> {
  const client = await session.client();
  const result = (await client.kernel('AuditVerify')).data as unknown as AuditVerifyResult;
  if (format !== 'pretty') printStructured(session.io, result, format);
  else {
    const report = verifyReport(result);
    if (report.ok !== null) say.ok(session.io, report.ok);
    for (const line of report.errors) say.error(session.io, line);
  }
  return result.valid ? EXIT.ok : EXIT.failure;
}
