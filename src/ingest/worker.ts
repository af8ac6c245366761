/**
 * The entry of a reading worker thread. It turns on the compile cache before anything else is
 * loaded, then loads the task (the readers, extract, check) on the first job: a worker's modules
 * are compiled once a machine, not once a worker and run.
 */
import './compile-cache.ts';
import type { Job, JobResult } from './task.ts';

export type { Job, JobResult };

let task: Promise<typeof import('./task.ts')> | undefined;

export default async function run(job: Job): Promise<JobResult> {
  return (await (task ??= import('./task.ts'))).default(job);
}
