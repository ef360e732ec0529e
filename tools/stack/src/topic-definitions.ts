import { topicsToProvision, type TopicToProvision } from '@pitboss/contracts';

export { provisionTopics } from '@pitboss/messaging';

/** Every topic the contracts declare plus its dead-letter twin, with the deployment prefix and their settings. */
export function prefixedTopics(prefix: string): TopicToProvision[] {
  return topicsToProvision((name) => `${prefix}${name}`);
}
