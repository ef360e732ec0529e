import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ERROR_CATALOGUE, ERROR_CODES } from '@pitboss/contracts';

import { signature, signingString, WORKED_EXAMPLES } from './sign-request';

const GUIDE = readFileSync(join(__dirname, '../../docs/aggregator-guide.md'), 'utf8');

/** Rows of the guide's error table: `| \`CODE\` | 409 | 10 ABORTED | yes | … |`. */
function errorTableRows(): Map<string, { http: number; grpc: number; retryable: boolean }> {
  const rows = new Map<string, { http: number; grpc: number; retryable: boolean }>();
  for (const match of GUIDE.matchAll(
    /^\| `([A-Z_]+)`\s*\| (\d{3})\s*\| (\d+) [A-Z_]+\s*\| (yes|no)\s*\|/gm,
  )) {
    const [, code, http, grpc, retryable] = match;
    rows.set(code!, { http: Number(http), grpc: Number(grpc), retryable: retryable === 'yes' });
  }
  return rows;
}

describe('docs/aggregator-guide.md', () => {
  const rows = errorTableRows();

  it.each(ERROR_CODES)('lists %s with the catalogue HTTP status, gRPC code and retryable', (code) => {
    const { httpStatus, grpcStatus, retryable } = ERROR_CATALOGUE[code];
    expect(rows.get(code)).toEqual({ http: httpStatus, grpc: grpcStatus, retryable });
  });

  it('lists no code the catalogue does not have', () => {
    expect([...rows.keys()].filter((code) => !(code in ERROR_CATALOGUE))).toEqual([]);
  });

  it.each(WORKED_EXAMPLES.requests.map((request) => [`${request.method} ${request.path}`, request] as const))(
    'shows the worked example %s as the example script computes it',
    (_name, request) => {
      expect(GUIDE).toContain(`signing string: ${signingString(request)}\n`);
      expect(GUIDE).toContain(`X-Signature:    ${signature(WORKED_EXAMPLES.secret, request)}\n`);
    },
  );
});
