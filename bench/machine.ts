/**
 * The machine a run measured on, so figures are read in context: core count, CPU model, memory
 * and how busy the machine was (other work shares the cores and stretches wall times).
 */
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, loadavg, platform, release, totalmem } from "node:os";

/** Machine facts recorded with every run. */
export interface MachineInfo {
  cpuModel: string;
  nproc: number;
  memoryGb: number;
  os: string;
  /** 1-minute load average when the run started and ended. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

/** The CPU model from /proc/cpuinfo (Linux), or "unknown". */
export function cpuModel(): string {
  if (!existsSync("/proc/cpuinfo")) return "unknown";
  const line = readFileSync("/proc/cpuinfo", "utf8")
    .split("\n")
    .find((l) => l.startsWith("model name"));
  return line?.split(":")[1]?.trim() ?? "unknown";
}

/** Facts about this machine now. */
export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    nproc: availableParallelism(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    loadAverageStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The 1-minute load average now. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
