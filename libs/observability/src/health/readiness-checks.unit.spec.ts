import { kafkaCheck, postgresCheck, redisCheck } from './readiness-checks';

describe(postgresCheck.name, () => {
  it('runs SELECT 1 on the pool', async () => {
    const query = jest.fn().mockResolvedValue({ rows: [{ '?column?': 1 }] });
    const sut = postgresCheck({ query });

    await sut();

    expect(query).toHaveBeenCalledWith('SELECT 1');
  });
});

describe(kafkaCheck.name, () => {
  const cluster = (brokers: number) => ({
    brokers: Array.from({ length: brokers }, (_, nodeId) => ({ nodeId, host: 'localhost', port: 9092 })),
    controller: 0,
    clusterId: 'c',
  });

  it('passes when the cluster lists brokers', async () => {
    const sut = kafkaCheck({ describeCluster: async () => cluster(1) });

    await expect(sut()).resolves.toBeUndefined();
  });

  it('fails when the cluster lists none', async () => {
    const sut = kafkaCheck({ describeCluster: async () => cluster(0) });

    await expect(sut()).rejects.toThrow('Kafka cluster reports no brokers');
  });
});

describe(redisCheck.name, () => {
  it('passes on PONG', async () => {
    const sut = redisCheck({ ping: async () => 'PONG' as const });

    await expect(sut()).resolves.toBeUndefined();
  });

  it('fails when PING fails', async () => {
    const sut = redisCheck({
      ping: async () => {
        throw new Error('Connection is closed.');
      },
    });

    await expect(sut()).rejects.toThrow('Connection is closed.');
  });
});
