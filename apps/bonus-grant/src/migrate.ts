import { runMigrateJob } from '@pitboss/event-store';

/** bonus-grant's migrate job: the event store's tables only, as its module has no migrations of its own yet. */
runMigrateJob('bonus-grant', []);
