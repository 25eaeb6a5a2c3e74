/** One figure in bench/results.json. */
export interface BenchResult {
  name: string
  value: number
  unit: string
  better: 'lower' | 'higher'
  /** The same quantity for a reference implementation, measured in the same run. */
  baseline?: { name: string; value: number }
}

/** What the harness hands every benchmark. */
export interface BenchContext {
  /** The repository root (/work/main). */
  root: string
  /** Scratch space for builds and generated files (bench/.tmp, gitignored). */
  tmp: string
  /** Progress messages (stderr, so the table on stdout stays clean). */
  log(message: string): void
}

/** A benchmark module: the names it may emit (for `--only`) and how to run it. */
export interface Benchmark {
  id: string
  names: readonly string[]
  run(context: BenchContext): Promise<BenchResult[]>
}
