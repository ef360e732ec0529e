import { debeziumEnv, type DebeziumSettings } from './debezium-process';

function settings(overrides: Partial<DebeziumSettings> = {}): DebeziumSettings {
  return {
    databaseUrl: 'postgres://postgres@127.0.0.1:38119/bench',
    schema: 'bench_debezium_1a2b',
    slot: 'bench_1a2b',
    kafkaBrokers: ['127.0.0.1:9092', '127.0.0.1:9094'],
    registryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    topicPrefix: 'bench-debezium-1a2b.',
    stateDir: '/work/.stack/bench-relay/debezium-bench_1a2b',
    pollMs: 10,
    maxBatch: 2_048,
    ...overrides,
  };
}

describe(debeziumEnv.name, () => {
  it('hands the connector the database URL in parts and the rest as they are', () => {
    const sut = debeziumEnv(settings());

    expect(sut).toEqual({
      DBZ_PG_HOST: '127.0.0.1',
      DBZ_PG_PORT: '38119',
      DBZ_PG_USER: 'postgres',
      DBZ_PG_DATABASE: 'bench',
      DBZ_SCHEMA: 'bench_debezium_1a2b',
      DBZ_SLOT: 'bench_1a2b',
      DBZ_KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094',
      DBZ_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      DBZ_TOPIC_PREFIX: 'bench-debezium-1a2b.',
      DBZ_STATE_DIR: '/work/.stack/bench-relay/debezium-bench_1a2b',
      DBZ_POLL_MS: '10',
      DBZ_MAX_BATCH: '2048',
    });
  });

  it('passes a password only when the URL has one, decoded', () => {
    const sut = debeziumEnv(settings({ databaseUrl: 'postgres://bench:p%40ss@db.local/pitboss' }));

    expect(sut).toMatchObject({ DBZ_PG_USER: 'bench', DBZ_PG_PASSWORD: 'p@ss', DBZ_PG_PORT: '5432' });
  });
});
