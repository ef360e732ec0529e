import { categoryOf, type CpuProfile, selfTimeByCategory } from './cpu-profile';

describe('cpu-profile', () => {
  it.each([
    [
      '/work/main/node_modules/@opentelemetry/instrumentation-pg/build/src/instrumentation.js',
      '@opentelemetry/instrumentation-pg',
    ],
    ['file:///work/main/node_modules/kafkajs/src/protocol/encoder.js', 'kafkajs'],
    ['/app/node_modules/pg/node_modules/pg-types/index.js', 'pg-types'],
    ['node:internal/async_local_storage/async_hooks', 'node:internal/async_local_storage'],
    ['node:net', 'node:net'],
    ['/work/main/dist/apps/bet-gateway/main.js', '(the project)'],
  ])('given a function of %s, it is counted under %s', (url, category) => {
    expect(categoryOf({ functionName: 'f', url })).toBe(category);
  });

  it('given a V8 pseudo-function, it keeps its own name; a native without url is native', () => {
    expect(categoryOf({ functionName: '(garbage collector)', url: '' })).toBe('(garbage collector)');
    expect(categoryOf({ functionName: 'JSON.parse', url: '' })).toBe('(native)');
  });

  it('given samples, when summed, each sample counts the time delta that follows it', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'encode', url: '/x/node_modules/kafkajs/a.js' } },
        { id: 3, callFrame: { functionName: 'query', url: '/x/node_modules/pg/b.js' } },
      ],
      samples: [2, 3, 2, 1, 2],
      timeDeltas: [0, 100, 250, 50, 400],
    };
    // The last sample has no delta after it: it counts 0.
    expect(Object.fromEntries(selfTimeByCategory(profile))).toEqual({ kafkajs: 150, pg: 250, '(idle)': 400 });
  });
});
