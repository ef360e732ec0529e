import { ESLint } from 'eslint';

// `npm run security:lint`: only eslint-plugin-security's rules (configured in eslint.config.mjs, where the lint
// step of tools/test/run-all.sh runs them with every other rule), for a quick look at that set alone.
async function main(): Promise<void> {
  const eslint = new ESLint({ ruleFilter: ({ ruleId }) => ruleId.startsWith('security/') });
  const results = await eslint.lintFiles(['apps', 'libs', 'tools']);
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  if (errors === 0) {
    console.log(`security:lint: no findings in ${results.length} files`);
    return;
  }
  console.error((await eslint.loadFormatter('stylish')).format(results));
  console.error(
    `security:lint: ${errors} finding(s). Fix each, or if it is a false positive disable it on its line with ` +
      'the reason (`// eslint-disable-next-line security/<rule> -- <why>`); docs/operations.md#security-checks',
  );
  process.exitCode = 1;
}

void main();
