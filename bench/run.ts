/** `npm run bench`: every benchmark, each printed as ratios against its peer measured in the same run. */
import { runChunkBench } from './chunk.js';
import { runInstancesBench } from './instances.js';
import { runLoadBench } from './load.js';
import { runRoutingBench } from './routing.js';
import { runSftBench } from './sft.js';
import { runStartupBench } from './startup.js';

await runStartupBench();
await runLoadBench();
runRoutingBench();
await runChunkBench();
await runSftBench();
await runInstancesBench();
