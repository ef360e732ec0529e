import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

import { infrastructureConfig } from '@pitboss/platform-config';

import { kafkaCheck, postgresCheck, schemaRegistryCheck } from './readiness-checks';

/** A port nothing listens on: bound by the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A stand-in registry answering `GET /subjects` with `status`, or never when `status` is 'hang'. */
async function fakeRegistry(status: number | 'hang'): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (status === 'hang') return;
    res.writeHead(req.url === '/apis/ccompat/v7/subjects' ? status : 404, {
      'content-type': 'application/json',
    });
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/apis/ccompat/v7/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe(postgresCheck.name, () => {
  it('passes against the running Postgres', async () => {
    const pool = new Pool({ connectionString: infrastructureConfig().databaseUrl, max: 1 });
    try {
      await expect(postgresCheck(pool)()).resolves.toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it('fails against a closed port', async () => {
    const pool = new Pool({ host: '127.0.0.1', port: await unusedPort(), user: 'postgres', max: 1 });
    try {
      await expect(postgresCheck(pool)()).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await pool.end();
    }
  });
});

describe(kafkaCheck.name, () => {
  it('passes against the running Kafka cluster', async () => {
    const { kafkaBrokers } = infrastructureConfig();
    const admin = new Kafka({
      brokers: kafkaBrokers,
      clientId: 'readiness-int',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await expect(kafkaCheck(admin)()).resolves.toBeUndefined();
    } finally {
      await admin.disconnect();
    }
  });
});

describe(schemaRegistryCheck.name, () => {
  it('passes against the running schema registry', async () => {
    await expect(schemaRegistryCheck(infrastructureConfig().schemaRegistryUrl)()).resolves.toBeUndefined();
  });

  it.each([200, 204])('passes on %i from GET /subjects', async (status) => {
    const registry = await fakeRegistry(status);
    try {
      await expect(schemaRegistryCheck(registry.baseUrl)()).resolves.toBeUndefined();
    } finally {
      await registry.close();
    }
  });

  it('fails on a 5xx, naming the status and URL', async () => {
    const registry = await fakeRegistry(503);
    try {
      await expect(schemaRegistryCheck(registry.baseUrl)()).rejects.toThrow(
        `schema registry answered 503 on GET ${registry.baseUrl}subjects`,
      );
    } finally {
      await registry.close();
    }
  });

  it('gives up on a registry that never answers', async () => {
    const registry = await fakeRegistry('hang');
    try {
      await expect(schemaRegistryCheck(registry.baseUrl, 50)()).rejects.toThrow(/aborted due to timeout/);
    } finally {
      await registry.close();
    }
  });

  it('fails against a closed port', async () => {
    await expect(schemaRegistryCheck(`http://127.0.0.1:${await unusedPort()}`)()).rejects.toThrow(
      'fetch failed',
    );
  });
});
