import { benchServerSettings, serverOptions } from './bench-postgres';

describe(benchServerSettings.name, () => {
  it('turns on logical decoding and keeps every commit durable, on loopback only', () => {
    const sut = benchServerSettings(38_119, '/tmp/run');

    expect(sut).toMatchObject({
      port: '38119',
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '/tmp/run',
      wal_level: 'logical',
      synchronous_commit: 'on',
      fsync: 'on',
    });
    expect(Number(sut['max_wal_senders'])).toBeGreaterThan(0);
    expect(Number(sut['max_replication_slots'])).toBeGreaterThan(0);
  });
});

describe(serverOptions.name, () => {
  it('gives pg_ctl one -c per setting', () => {
    expect(serverOptions({ wal_level: 'logical', fsync: 'on' })).toBe('-c wal_level=logical -c fsync=on');
  });
});
