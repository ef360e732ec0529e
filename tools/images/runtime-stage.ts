import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/**
 * The last stage of docker/Dockerfile read as the buildah steps that assemble it: where `buildah bud` cannot run
 * the build stages (chroot isolation, no engine), tools/images builds them on the host and follows this plan,
 * so the image keeps the Dockerfile's user, environment, entry point and health check instead of a second copy
 * of them. An instruction the host assembly cannot follow (RUN, ADD, ONBUILD, SHELL) is an error, not skipped.
 */
export interface RuntimeStagePlan {
  readonly baseImage: string;
  readonly workingDir: string | undefined;
  /** In order: the stage the files come from (undefined: the build context), source path, destination. */
  readonly copies: ReadonlyArray<{ from: string | undefined; source: string; destination: string }>;
  readonly env: ReadonlyArray<[string, string]>;
  readonly labels: ReadonlyArray<[string, string]>;
  readonly user: string | undefined;
  readonly ports: readonly string[];
  readonly volumes: readonly string[];
  readonly stopSignal: string | undefined;
  readonly healthcheck: { command: readonly string[]; flags: Readonly<Record<string, string>> } | undefined;
  readonly entrypoint: readonly string[] | undefined;
  readonly cmd: readonly string[] | undefined;
}

export class RuntimeStageError extends Error {
  override readonly name = 'RuntimeStageError';
}

const UNSUPPORTED = new Set(['RUN', 'ADD', 'ONBUILD', 'SHELL']);

/** `${NAME}` and `$NAME` replaced from `vars`; an unknown name becomes empty, as in a Docker build. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, braced, bare) => {
    return vars.get((braced ?? bare) as string) ?? '';
  });
}

export function planRuntimeStage(
  dockerfile: string,
  buildArgs: Readonly<Record<string, string>>,
): RuntimeStagePlan {
  const parsed = DockerfileParser.parse(dockerfile);
  const froms = parsed.getFROMs();
  const last = froms[froms.length - 1];
  if (!last) throw new RuntimeStageError('the Dockerfile has no FROM');
  const vars = new Map<string, string>();
  // ARGs before the first FROM are visible to FROM lines only.
  for (const arg of parsed.getInitialARGs()) {
    for (const property of arg.getProperties()) {
      const name = property.getName();
      vars.set(name, buildArgs[name] ?? property.getValue() ?? '');
    }
  }
  const baseImage = substitute(last.getImageName() ?? '', vars);
  const startLine = last.getRange().start.line;
  const stageVars = new Map<string, string>();
  const plan = {
    baseImage,
    workingDir: undefined as string | undefined,
    copies: [] as Array<{ from: string | undefined; source: string; destination: string }>,
    env: [] as Array<[string, string]>,
    labels: [] as Array<[string, string]>,
    user: undefined as string | undefined,
    ports: [] as string[],
    volumes: [] as string[],
    stopSignal: undefined as string | undefined,
    healthcheck: undefined as RuntimeStagePlan['healthcheck'],
    entrypoint: undefined as string[] | undefined,
    cmd: undefined as string[] | undefined,
  };
  const values = (instruction: Instruction) =>
    instruction.getArguments().map((argument) => substitute(argument.getValue(), stageVars));
  for (const instruction of parsed.getInstructions()) {
    if (instruction.getRange().start.line <= startLine) continue;
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (UNSUPPORTED.has(keyword)) {
      throw new RuntimeStageError(
        `line ${line}: ${keyword} in the runtime stage cannot be followed by the host assembly; keep the runtime stage to COPY and metadata`,
      );
    }
    switch (keyword) {
      case 'ARG':
        for (const property of propertiesOf(instruction)) {
          stageVars.set(property.name, buildArgs[property.name] ?? property.value ?? '');
        }
        break;
      case 'ENV':
        for (const property of propertiesOf(instruction)) {
          const value = substitute(property.value ?? '', stageVars);
          stageVars.set(property.name, value);
          plan.env.push([property.name, value]);
        }
        break;
      case 'LABEL':
        for (const property of propertiesOf(instruction)) {
          plan.labels.push([property.name, substitute(property.value ?? '', stageVars)]);
        }
        break;
      case 'WORKDIR':
        plan.workingDir = values(instruction).join(' ');
        break;
      case 'COPY': {
        const flags = flagsOf(instruction);
        const unknown = Object.keys(flags).filter((flag) => flag !== 'from');
        if (unknown.length > 0)
          throw new RuntimeStageError(`line ${line}: COPY --${unknown[0]} is not followed`);
        const paths = values(instruction);
        const destination = paths.pop();
        if (destination === undefined || paths.length === 0)
          throw new RuntimeStageError(`line ${line}: COPY needs a source and a destination`);
        for (const source of paths) plan.copies.push({ from: flags['from'], source, destination });
        break;
      }
      case 'USER':
        plan.user = values(instruction).join(' ');
        break;
      case 'EXPOSE':
        plan.ports.push(...values(instruction));
        break;
      case 'VOLUME':
        plan.volumes.push(...jsonOrWords(instruction, stageVars));
        break;
      case 'STOPSIGNAL':
        plan.stopSignal = values(instruction).join(' ');
        break;
      case 'HEALTHCHECK': {
        const content = instruction.getArgumentsContent() ?? '';
        const command = /\bCMD\s+(\[[\s\S]*\])\s*$/.exec(content.replace(/\\\r?\n/g, ' '));
        if (!command?.[1])
          throw new RuntimeStageError(`line ${line}: HEALTHCHECK must be CMD ["exec", "form"]`);
        plan.healthcheck = { command: JSON.parse(command[1]) as string[], flags: flagsOf(instruction) };
        break;
      }
      case 'ENTRYPOINT':
        plan.entrypoint = jsonOrWords(instruction, stageVars);
        break;
      case 'CMD':
        plan.cmd = jsonOrWords(instruction, stageVars);
        break;
      default:
        throw new RuntimeStageError(`line ${line}: ${keyword} is not followed by the host assembly`);
    }
  }
  return plan;
}

function propertiesOf(instruction: Instruction): Array<{ name: string; value: string | null }> {
  const withProperties = instruction as unknown as {
    getProperties(): Array<{ getName(): string; getValue(): string | null }>;
  };
  return withProperties.getProperties().map((property) => ({
    name: property.getName(),
    value: property.getValue(),
  }));
}

function flagsOf(instruction: Instruction): Record<string, string> {
  const withFlags = instruction as unknown as {
    getFlags?(): Array<{ getName(): string; getValue(): string | null }>;
  };
  return Object.fromEntries(
    (withFlags.getFlags?.() ?? []).map((flag) => [flag.getName(), flag.getValue() ?? '']),
  );
}

/** The exec form's strings, or else the shell form wrapped as `/bin/sh -c`, as Docker does. */
function jsonOrWords(instruction: Instruction, vars: ReadonlyMap<string, string>): string[] {
  const json = (instruction as unknown as { getJSONStrings?(): Array<{ getJSONValue(): string }> })
    .getJSONStrings?.()
    .map((argument) => argument.getJSONValue());
  if (json && json.length > 0) return json;
  const shell = substitute(instruction.getArgumentsContent() ?? '', vars);
  return instruction.getKeyword() === 'VOLUME'
    ? shell.split(/\s+/).filter(Boolean)
    : ['/bin/sh', '-c', shell];
}
