import { writeFileSync } from 'node:fs';

/**
 * The body of a service's `openapi-document.cli.ts`: writes the document `GET /docs/openapi.json` serves to the file
 * named by the first argument, without starting the service (for `npm run openapi:lint`).
 */
export function writeOpenApiDocumentFromArgs(
  build: () => object,
  argv: readonly string[] = process.argv,
): void {
  const [file] = argv.slice(2);
  if (file === undefined) throw new Error(`usage: tsx ${argv[1] ?? '<cli>'} <file.json>`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- the developer's own argument
  writeFileSync(file, `${JSON.stringify(build(), null, 2)}\n`);
}
