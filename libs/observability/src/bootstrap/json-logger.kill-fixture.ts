import { ServiceJsonLogger } from './json-logger';

// Run by json-logger.int.spec.ts: logs, then dies at once the way a SIGKILLed service does, without a chance to
// flush anything still buffered.
const logger = new ServiceJsonLogger('kill-fixture', { LOG_LEVEL: 'log' });
for (let index = 1; index <= 1_000; index += 1) logger.log(`line ${index}`, 'Fixture');
logger.log('last words before SIGKILL', 'Fixture');
process.kill(process.pid, 'SIGKILL');
