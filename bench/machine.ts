/** Where and when the figures were taken: the benchmark runs on shared machines, so load matters. */
import { availableParallelism, cpus, loadavg } from "node:os";

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  node: string;
  /** 1, 5 and 15 minute load averages, as `uptime` shows them, at the start and the end. */
  loadAtStart: number[];
  loadAtEnd: number[];
}

export function machineAtStart(): Machine {
  return {
    date: new Date().toISOString(),
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAtStart: loadavg().map(round2),
    loadAtEnd: [],
  };
}

export function finish(machine: Machine): Machine {
  return { ...machine, loadAtEnd: loadavg().map(round2) };
}

export const describeLoad = (load: number[]) => load.map((l) => l.toFixed(2)).join(", ");

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
