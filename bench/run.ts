/**
 * `npm run bench`: every benchmark in one run, each next to its baseline measured in the same
 * run. `--json` prints the figures for machines instead of tables.
 */
import { benchCoreOps, printCoreRows } from "./core-ops.js";
import { benchJwtPath, printJwtRows } from "./jwt-path.js";

const json = process.argv.includes("--json");
const core = await benchCoreOps();
const jwt = await benchJwtPath();

if (json) {
  console.log(JSON.stringify({ core, jwt }, null, 2));
} else {
  printCoreRows(core);
  printJwtRows(jwt);
}
