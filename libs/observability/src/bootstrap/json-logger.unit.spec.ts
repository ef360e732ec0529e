import { ConfigError } from '@pitboss/platform-config';

import { logLevelsFrom } from './json-logger';

describe(logLevelsFrom.name, () => {
  it('prints log and more severe levels by default', () => {
    expect(logLevelsFrom({})).toEqual(['log', 'warn', 'error', 'fatal']);
  });

  it('prints from the level LOG_LEVEL names', () => {
    expect(logLevelsFrom({ LOG_LEVEL: 'debug' })).toEqual(['debug', 'log', 'warn', 'error', 'fatal']);
    expect(logLevelsFrom({ LOG_LEVEL: 'error' })).toEqual(['error', 'fatal']);
  });

  it('refuses an unknown level', () => {
    expect(() => logLevelsFrom({ LOG_LEVEL: 'info' })).toThrow(ConfigError);
  });
});
