type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = Json;

/** 2026-01-01T00:00:00Z: every `timestamp-millis` of an example. */
const EXAMPLE_MILLIS = 1_767_225_600_000;

/** Strings whose meaning a placeholder would hide; every other string is `<field>-1`. */
const EXAMPLE_STRINGS: Readonly<Record<string, string>> = {
  tenant_id: 'tenant-a',
  player_id: 'player-1',
  region: 'eu',
  currency: 'EUR',
  country: 'DE',
  // The trace of the example's traceparent header.
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
};

/**
 * A deterministic example value of one event, in Avro's JSON encoding (a union branch other than null is wrapped
 * as `{"<branch name>": value}`), as `kafka-avro-console-consumer` and Apicurio's tools print a message.
 * `payloadBranch` is the full name of the payload record to pick in the value's `payload` union.
 */
export function avroJsonExample(valueSchema: SchemaNode, eventType: string, payloadBranch: string): Json {
  const walker = new ExampleWalker(eventType, payloadBranch);
  walker.collectNames(valueSchema, undefined);
  return walker.value(valueSchema, '', undefined);
}

class ExampleWalker {
  private readonly named = new Map<string, { schema: SchemaNode; namespace: string | undefined }>();

  constructor(
    private readonly eventType: string,
    private readonly payloadBranch: string,
  ) {}

  /** A named type is written in full once (maybe in a branch not picked) and by name after: learn them all first. */
  collectNames(schema: SchemaNode, namespace: string | undefined): void {
    if (Array.isArray(schema)) return schema.forEach((branch) => this.collectNames(branch, namespace));
    if (schema === null || typeof schema !== 'object') return;
    const type = schema['type'];
    let inner = namespace;
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      const full = fullName(schema, namespace);
      inner = namespaceOf(full);
      this.named.set(full, { schema, namespace: inner });
    }
    if (type === 'record') {
      for (const member of schema['fields'] as { type: SchemaNode }[]) this.collectNames(member.type, inner);
    } else if (type === 'array') this.collectNames(schema['items'] as SchemaNode, inner);
    else if (type === 'map') this.collectNames(schema['values'] as SchemaNode, inner);
    else if (typeof type === 'object') this.collectNames(type, inner);
  }

  value(schema: SchemaNode, field: string, namespace: string | undefined): Json {
    if (typeof schema === 'string') return this.primitiveOrNamed(schema, field, namespace);
    if (Array.isArray(schema)) return this.union(schema, field, namespace);
    if (schema === null || typeof schema !== 'object')
      throw new Error(`not an Avro schema: ${String(schema)}`);
    const type = schema['type'];
    const logicalType = schema['logicalType'];
    if (logicalType === 'timestamp-millis') return EXAMPLE_MILLIS;
    if (logicalType === 'uuid') return exampleUuid(field);
    if (type === 'record' || type === 'enum' || type === 'fixed') {
      return this.named_(schema, field, namespaceOf(fullName(schema, namespace)));
    }
    if (type === 'array') return [this.value(schema['items'] as SchemaNode, field, namespace)];
    if (type === 'map') return { key: this.value(schema['values'] as SchemaNode, field, namespace) };
    return this.value(type as SchemaNode, field, namespace);
  }

  private named_(schema: { [key: string]: Json }, field: string, namespace: string | undefined): Json {
    if (schema['type'] === 'enum') {
      const symbols = schema['symbols'] as string[];
      // The first symbol that is not the reader's fallback default (e.g. UNKNOWN, never written).
      return symbols.find((symbol) => symbol !== schema['default']) ?? symbols[0]!;
    }
    if (schema['type'] === 'fixed') return '\u0000'.repeat(schema['size'] as number);
    const record: { [key: string]: Json } = {};
    for (const member of schema['fields'] as { name: string; type: SchemaNode }[]) {
      record[member.name] = this.value(member.type, member.name, namespace);
    }
    return record;
  }

  private primitiveOrNamed(name: string, field: string, namespace: string | undefined): Json {
    switch (name) {
      case 'null':
        return null;
      case 'boolean':
        return false;
      case 'int':
        return 1;
      case 'long':
        return 1000;
      case 'float':
      case 'double':
        return 0.5;
      case 'bytes':
        return '';
      case 'string':
        if (field === 'event_type') return this.eventType;

        return EXAMPLE_STRINGS[field] ?? `${field}-1`;
      default: {
        const full = name.includes('.') || namespace === undefined ? name : `${namespace}.${name}`;
        const definition = this.named.get(full) ?? this.named.get(name);
        if (!definition) throw new Error(`unknown Avro type ${name}`);
        return this.named_(definition.schema as { [key: string]: Json }, field, definition.namespace);
      }
    }
  }

  private union(branches: SchemaNode[], field: string, namespace: string | undefined): Json {
    const chosen =
      field === 'payload'
        ? branches.find((branch) => this.branchName(branch, namespace) === this.payloadBranch)
        : (branches.find((branch) => branch !== 'null') ?? 'null');
    if (chosen === undefined) throw new Error(`no payload branch ${this.payloadBranch}`);
    if (chosen === 'null') return null;
    return { [this.branchName(chosen, namespace)]: this.value(chosen, field, namespace) };
  }

  private branchName(branch: SchemaNode, namespace: string | undefined): string {
    if (typeof branch === 'string') {
      return ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'].includes(branch) ||
        branch.includes('.') ||
        namespace === undefined
        ? branch
        : `${namespace}.${branch}`;
    }
    if (branch === null || typeof branch !== 'object' || Array.isArray(branch)) return String(branch);
    const type = branch['type'];
    if (type === 'record' || type === 'enum' || type === 'fixed') return fullName(branch, namespace);
    // A logical type's branch is named by its underlying type (`long` for timestamp-millis).
    return typeof type === 'string' ? type : String(type);
  }
}

function fullName(schema: { [key: string]: Json }, namespace: string | undefined): string {
  const name = schema['name'] as string;
  if (name.includes('.')) return name;
  const own = (schema['namespace'] as string | undefined) ?? namespace;
  return own ? `${own}.${name}` : name;
}

function namespaceOf(fullName: string): string | undefined {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? undefined : fullName.slice(0, dot);
}

/** A fixed, valid UUID per field, so an example reads the same on every run. */
function exampleUuid(field: string): string {
  return field === 'event_id'
    ? '0198c3f0-5b7e-7a41-9d2c-3f1e8a6b4c01'
    : '0198c3f0-5b7e-7a41-9d2c-3f1e8a6b4c02';
}
