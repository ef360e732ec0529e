import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * The consumer docs/bi-guide.md shows, run against the local stack by `npm run bi:check`: Apicurio's Avro serde
 * (Maven Central) reading a Pitboss topic from the start through the registry's native API, with the 4-byte
 * content id Pitboss' producer writes. Prints each record (key, headers, value as Avro JSON) and exits 1 when it
 * read none, a value did not decode into the topic's record, or its payload is not the branch of its event_type.
 *
 * Arguments: bootstrap servers, registry native API URL (…/apis/registry/v3), topic, how many records at most,
 * the full name of the topic's value record (pitboss.rgs.rounds.v1.Event).
 */
public class BiCheck {
  public static void main(String[] args) {
    // The Kafka client and the serde log through java.util.logging; their INFO lines would bury the records.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) handler.setLevel(java.util.logging.Level.WARNING);
    String bootstrap = args[0];
    String registry = args[1];
    String topic = args[2];
    int wanted = Integer.parseInt(args[3]);
    String expected = args[4];

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // A group of its own, read from the start and never committed: the check leaves no offsets behind.
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bi-check-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
    props.put("apicurio.registry.url", registry);
    // The frame's 4 bytes are the registry's content id (what /apis/ccompat/v7 returns as "id").
    props.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
    props.put("apicurio.registry.use-id", "contentId");

    int read = 0;
    long deadline = System.currentTimeMillis() + 30_000;
    try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (read < wanted && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofSeconds(1))) {
          if (read >= wanted) break;
          GenericRecord value = record.value();
          if (!value.getSchema().getFullName().equals(expected)) {
            System.err.println("bi-check: value record is " + value.getSchema().getFullName() + ", expected " + expected);
            System.exit(1);
          }
          // The payload union's branch is the record named after event_type (bet.settled -> BetSettled).
          String branch = ((GenericRecord) value.get("payload")).getSchema().getName();
          String eventType = value.get("event_type").toString();
          if (!branch.equals(recordNameOf(eventType))) {
            System.err.println("bi-check: payload is " + branch + " on a " + eventType + " event");
            System.exit(1);
          }
          StringBuilder headers = new StringBuilder();
          for (Header header : record.headers()) {
            headers.append(header.key()).append('=').append(new String(header.value())).append(' ');
          }
          System.out.printf("%s p%d@%d key=%s headers: %s%n  %s%n", record.topic(), record.partition(),
              record.offset(), record.key(), headers.toString().trim(), value);
          read++;
        }
      }
    }
    if (read == 0) {
      System.err.println("bi-check: no record on " + topic + " within 30 s");
      System.exit(1);
    }
    System.out.println("bi-check: read " + read + " records of " + topic);
  }

  private static String recordNameOf(String eventType) {
    StringBuilder name = new StringBuilder();
    for (String word : eventType.split("[._]")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }
}
