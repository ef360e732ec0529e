import { runMigrateJob } from '@pitboss/event-store';

/** wagering-progress's migrate job: the event store's tables only, as its module has no migrations of its own yet. */
runMigrateJob('wagering-progress', []);
