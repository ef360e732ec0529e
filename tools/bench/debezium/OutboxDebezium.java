import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The Debezium side of `npm run bench:relay`: the embedded engine streams one schema's outbox table through
 * Postgres logical decoding (pgoutput), Debezium's outbox EventRouter turns each inserted row into a record
 * routed by its `topic` column and keyed by `message_key`, and a KafkaProducer (idempotent, acks=all, like
 * our relay's) publishes each envelope Avro-encoded with the topic's registry schema in the Confluent framing
 * our consumers decode. Offsets are marked only after Kafka acknowledged the batch (at least once).
 * Configuration from the environment (set by tools/bench/debezium-process.ts); stdout lines for the bench.
 */
public class OutboxDebezium {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    String prefix = env("DBZ_TOPIC_PREFIX", "");
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig());
    RegistryEncoder encoder = new RegistryEncoder(env("DBZ_REGISTRY_URL", null));
    Publisher publisher = new Publisher(producer, encoder, prefix);
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(engineConfig(prefix))
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void pollingStarted() {
                    System.out.println("debezium: polling started");
                  }
                })
            .using(
                (success, message, error) -> {
                  System.out.println("debezium: engine stopped (" + message + ")");
                  if (error != null) error.printStackTrace(System.out);
                })
            .notifying(publisher)
            .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    engine.close();
                    executor.shutdown();
                    producer.close();
                    System.out.println(
                        "debezium: published " + publisher.published + " in " + publisher.batches + " batches");
                  } catch (Exception error) {
                    error.printStackTrace(System.out);
                  }
                }));
    executor.execute(engine);
  }

  private static Properties engineConfig(String prefix) {
    Properties props = new Properties();
    props.setProperty("name", "pitboss-bench-outbox");
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    props.setProperty("offset.storage.file.filename", env("DBZ_STATE_DIR", null) + "/offsets.dat");
    props.setProperty("offset.flush.interval.ms", env("DBZ_OFFSET_FLUSH_MS", "1000"));
    props.setProperty("database.hostname", env("DBZ_PG_HOST", "127.0.0.1"));
    props.setProperty("database.port", env("DBZ_PG_PORT", "5432"));
    props.setProperty("database.user", env("DBZ_PG_USER", "postgres"));
    String password = System.getenv("DBZ_PG_PASSWORD");
    if (password != null) props.setProperty("database.password", password);
    props.setProperty("database.dbname", env("DBZ_PG_DATABASE", "pitboss"));
    props.setProperty("topic.prefix", "pitboss-bench"); // the connector's logical name; our topics come from the router
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", env("DBZ_SLOT", null));
    props.setProperty("publication.name", env("DBZ_SLOT", null));
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("table.include.list", env("DBZ_SCHEMA", null) + ".outbox");
    props.setProperty("snapshot.mode", "no_data"); // rows committed before the slot are not ours to publish
    props.setProperty("tombstones.on.delete", "false");
    props.setProperty("poll.interval.ms", env("DBZ_POLL_MS", "10"));
    props.setProperty("max.batch.size", env("DBZ_MAX_BATCH", "2048"));
    props.setProperty("max.queue.size", env("DBZ_MAX_QUEUE", "8192"));
    props.setProperty("transforms", "outbox");
    props.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
    props.setProperty("transforms.outbox.table.field.event.id", "event_id");
    props.setProperty("transforms.outbox.table.field.event.key", "message_key");
    props.setProperty("transforms.outbox.table.field.event.payload", "envelope");
    props.setProperty("transforms.outbox.route.by.field", "topic");
    props.setProperty("transforms.outbox.route.topic.replacement", prefix + "${routedByValue}");
    // The row's headers column (event_id, event_type, traceparent as JSON) rides along; the publisher expands it.
    props.setProperty("transforms.outbox.table.fields.additional.placement", "headers:header:outbox_headers");
    return props;
  }

  private static Properties producerConfig() {
    Properties props = new Properties();
    props.setProperty("bootstrap.servers", env("DBZ_KAFKA_BROKERS", "127.0.0.1:9092"));
    props.setProperty("key.serializer", StringSerializer.class.getName());
    props.setProperty("value.serializer", ByteArraySerializer.class.getName());
    props.setProperty("acks", "all");
    props.setProperty("enable.idempotence", "true");
    props.setProperty("compression.type", "none");
    props.setProperty("linger.ms", env("DBZ_LINGER_MS", "0"));
    return props;
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value != null && !value.isEmpty()) return value;
    if (fallback == null) throw new IllegalArgumentException(name + " is not set");
    return fallback;
  }

  /** Sends a batch, waits for every acknowledgement, and only then marks the batch's offsets processed. */
  static final class Publisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private final KafkaProducer<String, byte[]> producer;
    private final RegistryEncoder encoder;
    private final String prefix;
    volatile long published;
    volatile long batches;

    Publisher(KafkaProducer<String, byte[]> producer, RegistryEncoder encoder, String prefix) {
      this.producer = producer;
      this.encoder = encoder;
      this.prefix = prefix;
    }

    @Override
    public void handleBatch(
        List<RecordChangeEvent<SourceRecord>> events,
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
        throws InterruptedException {
      List<Future<RecordMetadata>> acks = new ArrayList<>(events.size());
      try {
        for (RecordChangeEvent<SourceRecord> event : events) {
          SourceRecord record = event.record();
          if (record.value() == null || !record.topic().startsWith(prefix)) continue; // heartbeats and the like
          acks.add(producer.send(toKafka(record)));
        }
        for (Future<RecordMetadata> ack : acks) ack.get();
      } catch (Exception error) {
        // Nothing is marked: the engine stops and a restart resumes from the last committed offset.
        throw new RuntimeException("publishing a batch failed", error);
      }
      for (RecordChangeEvent<SourceRecord> event : events) committer.markProcessed(event);
      committer.markBatchFinished();
      published += acks.size();
      batches++;
    }

    private ProducerRecord<String, byte[]> toKafka(SourceRecord record) throws Exception {
      String topic = record.topic();
      RecordHeaders headers = new RecordHeaders();
      org.apache.kafka.connect.header.Header stored = record.headers().lastWithName("outbox_headers");
      if (stored != null && stored.value() != null) {
        Iterator<Map.Entry<String, JsonNode>> fields = JSON.readTree(stored.value().toString()).fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (field.getValue().isTextual())
            headers.add(field.getKey(), field.getValue().asText().getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] value = encoder.encode(topic, record.value().toString());
      return new ProducerRecord<>(topic, null, String.valueOf(record.key()), value, headers);
    }
  }

  /**
   * Envelope JSON (as the outbox stores it) → Confluent-framed Avro: magic byte 0, the 4-byte schema id of the
   * topic's latest `<topic>-value` subject (looked up once per topic through the registry's ccompat API), then
   * the Avro body. Plain JSON unions are resolved as @pitboss/contracts does: null, else the only non-null
   * branch, and the `payload` union by the record named after `event_type` (bet.authorized → BetAuthorized).
   */
  static final class RegistryEncoder {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String registryUrl;
    private final Map<String, Map.Entry<Integer, Schema>> schemas = new HashMap<>();
    /** One writer per topic, as our codec keeps one type per schema: built once, reused for every record. */
    private final Map<String, GenericDatumWriter<Object>> writers = new HashMap<>();

    RegistryEncoder(String registryUrl) {
      this.registryUrl = registryUrl.replaceAll("/+$", "");
    }

    byte[] encode(String topic, String envelopeJson) throws Exception {
      Map.Entry<Integer, Schema> latest = schemaOf(topic);
      JsonNode envelope = JSON.readTree(envelopeJson);
      String branch = payloadRecordName(envelope.path("event_type").asText());
      Object value = toAvro(latest.getValue(), envelope, branch);
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(latest.getKey()).array());
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writerOf(topic, latest.getValue()).write(value, encoder);
      encoder.flush();
      return out.toByteArray();
    }

    private synchronized GenericDatumWriter<Object> writerOf(String topic, Schema schema) {
      return writers.computeIfAbsent(topic, unused -> new GenericDatumWriter<>(schema));
    }

    private synchronized Map.Entry<Integer, Schema> schemaOf(String topic) throws Exception {
      Map.Entry<Integer, Schema> known = schemas.get(topic);
      if (known != null) return known;
      String subject = URLEncoder.encode(topic + "-value", StandardCharsets.UTF_8);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions/latest")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200)
        throw new IllegalStateException("registry: " + subject + " answered " + response.statusCode());
      JsonNode body = JSON.readTree(response.body());
      known = Map.entry(body.path("id").asInt(), new Schema.Parser().parse(body.path("schema").asText()));
      schemas.put(topic, known);
      return known;
    }

    static String payloadRecordName(String eventType) {
      StringBuilder name = new StringBuilder();
      for (String word : eventType.split("[._]"))
        if (!word.isEmpty()) name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      return name.toString();
    }

    private static Object toAvro(Schema schema, JsonNode node, String payloadBranch) {
      switch (schema.getType()) {
        case NULL:
          return null;
        case BOOLEAN:
          return node.asBoolean();
        case INT:
          return node.asInt();
        case LONG:
          return node.asLong();
        case FLOAT:
          return (float) node.asDouble();
        case DOUBLE:
          return node.asDouble();
        case STRING:
          return node.asText();
        case ENUM:
          return new GenericData.EnumSymbol(schema, node.asText());
        case ARRAY:
          List<Object> items = new ArrayList<>();
          for (JsonNode item : node) items.add(toAvro(schema.getElementType(), item, payloadBranch));
          return items;
        case MAP:
          Map<String, Object> entries = new HashMap<>();
          node.fields()
              .forEachRemaining(
                  e -> entries.put(e.getKey(), toAvro(schema.getValueType(), e.getValue(), payloadBranch)));
          return entries;
        case RECORD:
          GenericData.Record record = new GenericData.Record(schema);
          for (Schema.Field field : schema.getFields()) {
            JsonNode child = node.get(field.name());
            // An absent field takes its default (`win_credit`'s "cash"); a nullable one stays null.
            boolean useDefault = field.hasDefaultValue() && !isNullable(field.schema());
            if (child == null || child.isNull())
              record.put(field.pos(), useDefault ? GenericData.get().getDefaultValue(field) : null);
            else record.put(field.pos(), toAvro(field.schema(), child, payloadBranch));
          }
          return record;
        case UNION:
          if (node == null || node.isNull()) return null;
          List<Schema> branches =
              schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
          Schema chosen =
              branches.size() == 1
                  ? branches.get(0)
                  : branches.stream()
                      .filter(b -> b.getName().equals(payloadBranch))
                      .findFirst()
                      .orElseThrow(() -> new IllegalArgumentException("no union branch " + payloadBranch));
          return toAvro(chosen, node, payloadBranch);
        default:
          throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
      }
    }

    private static boolean isNullable(Schema schema) {
      return schema.getType() == Schema.Type.UNION
          && schema.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL);
    }
  }
}
