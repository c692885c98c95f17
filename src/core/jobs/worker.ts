/** The worker-thread entry of the job pool (piscina calls the default export with each task). */
import { type JobName, type JobOutputs, type JobTask, runJob } from './jobs.js';

export default function run(task: JobTask): JobOutputs[JobName] {
  task.started?.postMessage('started');
  task.started?.close();
  return runJob(task);
}
