import { dlqTopicOf } from '@pitboss/contracts';

/**
 * Logical topic names (`rgs.rounds.v1`) become physical ones by a deployment-wide prefix, which tests and
 * shared clusters use to stay apart. Registry subjects follow the physical name (TopicNameStrategy), as BI
 * tooling expects.
 */
export class TopicNaming {
  constructor(readonly prefix: string = '') {}

  physical(logicalTopic: string): string {
    return `${this.prefix}${logicalTopic}`;
  }

  logical(physicalTopic: string): string {
    return physicalTopic.startsWith(this.prefix) ? physicalTopic.slice(this.prefix.length) : physicalTopic;
  }

  deadLetter(logicalTopic: string): string {
    return dlqTopicOf(this.physical(logicalTopic));
  }

  valueSubject(logicalTopic: string): string {
    return `${this.physical(logicalTopic)}-value`;
  }
}
