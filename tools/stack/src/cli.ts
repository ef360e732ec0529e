import { errorMessage } from './errors';
import { formatStatus, stackDown, stackStatus, stackUp } from './stack';

const USAGE = 'usage: stack up|down|status';

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up':
      await stackUp();
      return 0;
    case 'down':
      await stackDown();
      return 0;
    case 'status': {
      const statuses = await stackStatus();
      for (const status of statuses) console.log(formatStatus(status));
      return statuses.every((status) => status.answers) ? 0 : 1;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

// One line and exit 1 for every failure: the messages say what to fix, a stack trace would only bury that.
const fail = (error: unknown): never => {
  console.error(`stack: ${errorMessage(error)}`);
  process.exit(1);
};
process.on('unhandledRejection', fail);

// Explicit exit: the started servers are detached, and lingering client sockets must not keep the CLI alive.
main(process.argv[2]).then((code) => process.exit(code), fail);
