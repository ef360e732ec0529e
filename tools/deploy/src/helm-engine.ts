import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { ensureMavenClasspath } from '../../stack/src/maven-artifacts';
import { requireJava } from '../../stack/src/toolchain';
import { DEPLOY_CACHE } from './deploy-targets';

const POM = path.resolve(__dirname, '..', 'maven', 'helm-java', 'pom.xml');
const RENDER_JAVA = path.resolve(__dirname, '..', 'java', 'Render.java');

export type HelmJob =
  | { readonly kind: 'dependency'; readonly chart: string }
  | { readonly kind: 'lint'; readonly chart: string }
  | {
      readonly kind: 'template';
      readonly chart: string;
      readonly release: string;
      readonly namespace: string;
      readonly kubeVersion: string;
      readonly outFile: string;
      readonly valuesFiles: readonly string[];
    };

export interface HelmJobResult {
  readonly job: HelmJob;
  /** undefined when the job succeeded, else Helm's message (schema violations, template errors, lint findings). */
  readonly failure: string | undefined;
}

function jobLine(job: HelmJob): string {
  if (job.kind !== 'template') return [job.kind, job.chart].join('\t');
  return [
    job.kind,
    job.chart,
    job.release,
    job.namespace,
    job.kubeVersion,
    job.outFile,
    ...job.valuesFiles,
  ].join('\t');
}

/**
 * Runs the jobs with Helm's own engine (helm-java from Maven Central, classpath cached in .stack/deploy), all in
 * one JVM (`java Render.java`, a single-file program), and returns every job's outcome.
 */
export async function runHelm(
  jobs: readonly HelmJob[],
  log: (line: string) => void,
): Promise<HelmJobResult[]> {
  const java = await requireJava();
  const jars = await ensureMavenClasspath(path.join(DEPLOY_CACHE, 'helm-java'), POM, 'helm-java', log);
  fs.mkdirSync(DEPLOY_CACHE, { recursive: true });
  const jobsFile = path.join(DEPLOY_CACHE, `jobs-${process.pid}-${Date.now()}.tsv`);
  fs.writeFileSync(jobsFile, jobs.map(jobLine).join('\n') + '\n');
  try {
    const output = await runJava(java, ['-cp', jars.join(path.delimiter), RENDER_JAVA, jobsFile]);
    const answers = new Map<number, string | undefined>();
    for (const line of output.split('\n')) {
      const [status, index, message] = line.split('\t');
      if (status === 'ok') answers.set(Number(index), undefined);
      if (status === 'fail') answers.set(Number(index), message ?? 'failed');
    }
    return jobs.map((job, index) => ({
      job,
      failure: answers.has(index) ? answers.get(index) : 'Render.java gave no answer for this job',
    }));
  } finally {
    fs.rmSync(jobsFile, { force: true });
  }
}

function runJava(java: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`java Render.java exited with ${code}: ${stderr.trim()}`));
    });
  });
}
