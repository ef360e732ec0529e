import { fetchSettingsOf } from './delivery-pace';

describe(fetchSettingsOf.name, () => {
  it('leaves a prompt consumer on kafkajs defaults (a fetch answered at its first message)', () => {
    expect(fetchSettingsOf('prompt', { KAFKA_BACKGROUND_FETCH_WAIT_MS: '800' })).toEqual({});
  });

  it('lets the broker hold a background fetch 500 ms by default to fill it', () => {
    expect(fetchSettingsOf('background', {})).toEqual({ minBytes: 1024 * 1024, maxWaitTimeInMs: 500 });
  });

  it('takes the wait from KAFKA_BACKGROUND_FETCH_WAIT_MS', () => {
    expect(fetchSettingsOf('background', { KAFKA_BACKGROUND_FETCH_WAIT_MS: '250' })).toMatchObject({
      maxWaitTimeInMs: 250,
    });
  });

  it('makes background prompt with a wait of 0', () => {
    expect(fetchSettingsOf('background', { KAFKA_BACKGROUND_FETCH_WAIT_MS: '0' })).toEqual({});
  });

  it('refuses a negative wait', () => {
    expect(() => fetchSettingsOf('background', { KAFKA_BACKGROUND_FETCH_WAIT_MS: '-1' })).toThrow(RangeError);
  });
});
