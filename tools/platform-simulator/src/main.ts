import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import {
  createKafka,
  createSchemaRegistry,
  EventCodec,
  EventPublisher,
  registerTopicSchemas,
  TopicNaming,
} from '@pitboss/messaging';
import { infrastructureConfig } from '@pitboss/platform-config';

import { depositCaptured, keyOf, type PlatformEvent, profileChanged, selfExcluded } from './platform-events';

const USAGE = `npm run platform:simulate -- <command> [options]

Publishes what the platform (not ours) would: Avro through the registry, keyed tenant_id:player_id.

  player     --tenant T --player P [--country GB] [--licence GB] [--kyc 2] [--segments vip,new]
             [--channel web] [--brand B] [--age-days 60] [--closed]       players.v1 player.profile_changed
  deposit    --tenant T --player P --amount 2000 [--currency GBP] [--deposit-id D] [--method card]
                                                                           payments.deposits.v1 deposit.captured
  exclude    --tenant T --player P [--days 180]                            rg.v1 player.self_excluded
  scenario   --tenant T [--players 5] [--country GB] [--licence GB] [--currency GBP] [--amount 2000]
             a profile and a first deposit for each of N new players (the demo's welcome bonus trigger)

Topics get KAFKA_TOPIC_PREFIX; brokers and registry come from KAFKA_BROKERS and SCHEMA_REGISTRY_URL.`;

const DAY = 86_400_000;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      tenant: { type: 'string' },
      player: { type: 'string' },
      brand: { type: 'string' },
      country: { type: 'string', default: 'GB' },
      licence: { type: 'string' },
      kyc: { type: 'string', default: '2' },
      segments: { type: 'string', default: '' },
      channel: { type: 'string', default: 'web' },
      'age-days': { type: 'string', default: '60' },
      closed: { type: 'boolean', default: false },
      amount: { type: 'string', default: '2000' },
      currency: { type: 'string', default: 'GBP' },
      'deposit-id': { type: 'string' },
      method: { type: 'string', default: 'card' },
      days: { type: 'string' },
      players: { type: 'string', default: '5' },
    },
  });
  const tenantId = required(values.tenant, '--tenant');
  const country = values.country!.toUpperCase();
  const licence = (values.licence ?? country).toUpperCase();
  const profileOf = (playerId: string) =>
    profileChanged({
      tenantId,
      playerId,
      ...(values.brand === undefined ? {} : { brand: values.brand }),
      country,
      licence,
      kycLevel: integer(values.kyc!, '--kyc'),
      segments: values.segments!.split(',').filter(Boolean),
      channel: values.channel!,
      accountCreatedAt: new Date(Date.now() - integer(values['age-days']!, '--age-days') * DAY),
      closedAt: values.closed ? new Date() : null,
    });
  const depositOf = (playerId: string, depositId = `dep-${randomUUID()}`) =>
    depositCaptured({
      tenantId,
      playerId,
      depositId,
      minorUnits: integer(values.amount!, '--amount'),
      currency: values.currency!.toUpperCase(),
      method: values.method!,
      capturedAt: new Date(),
    });

  let events: PlatformEvent[];
  switch (command) {
    case 'player':
      events = [profileOf(required(values.player, '--player'))];
      break;
    case 'deposit':
      events = [depositOf(required(values.player, '--player'), values['deposit-id'])];
      break;
    case 'exclude': {
      const until =
        values.days === undefined ? null : new Date(Date.now() + integer(values.days, '--days') * DAY);
      events = [selfExcluded(tenantId, required(values.player, '--player'), until)];
      break;
    }
    case 'scenario': {
      const count = integer(values.players!, '--players');
      events = Array.from({ length: count }, () => `sim-${randomUUID().slice(0, 8)}`).flatMap((playerId) => [
        profileOf(playerId),
        depositOf(playerId),
      ]);
      break;
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      process.exitCode = command === undefined || command === 'help' ? 0 : 2;
      return;
  }
  await publish(events);
  for (const event of events) {
    process.stdout.write(
      `${event.topic} ${event.envelope.event_type} ${keyOf(event)} ${event.envelope.event_id}\n`,
    );
  }
}

async function publish(events: readonly PlatformEvent[]): Promise<void> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const registry = createSchemaRegistry(config.schemaRegistryUrl);
  // The platform's producer registers the value schemas it writes, as any producer through the registry does.
  await registerTopicSchemas(registry, naming);
  const publisher = new EventPublisher(
    createKafka(config, '-platform-simulator'),
    new EventCodec(registry, naming),
    naming,
  );
  await publisher.connect();
  try {
    await publisher.publish(
      events.map((event) => ({
        topic: event.topic,
        key: keyOf(event),
        envelope: event.envelope,
        headers: { event_id: event.envelope.event_id, event_type: event.envelope.event_type },
      })),
    );
  } finally {
    await publisher.disconnect();
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

function integer(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got ${value}`);
  return Number(value);
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  process.stderr.write(`platform-simulator: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
