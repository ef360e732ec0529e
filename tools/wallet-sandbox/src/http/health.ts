import { type ServerResponse } from 'node:http';

import { type Pool } from 'pg';

import { sendJson } from './json-http';

const READY_TIMEOUT_MS = 2_000;

/** `/health/live`: the process answers. `/health/ready`: Postgres answers within 2 s. */
export async function answerHealth(path: string, pool: Pool, response: ServerResponse): Promise<boolean> {
  if (path === '/health/live') {
    sendJson(response, 200, { status: 'ok' });
    return true;
  }
  if (path !== '/health/ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pool.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('postgres did not answer in time')), READY_TIMEOUT_MS);
      }),
    ]);
    sendJson(response, 200, { status: 'ok', checks: { postgres: 'up' } });
  } catch (error) {
    sendJson(response, 503, {
      status: 'error',
      checks: { postgres: error instanceof Error ? error.message : String(error) },
    });
  } finally {
    clearTimeout(timer);
  }
  return true;
}
