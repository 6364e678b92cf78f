// The live progress line of a run (hand-made: one line redrawn with \r on a terminal; on anything
// else a plain line every `plainEverySeconds`, so logs and tests stay readable). Lines printed
// while it shows (evaluations, status changes) are put above it.
import pc from 'picocolors';
import { cost, duration, percent, status, visibleLength } from './output.js';

export interface ProgressState {
  status: string;
  step: number;
  maxSteps: number | undefined;
  maxMinutes: number | undefined;
  elapsedSeconds: number;
  loss: number | undefined;
  samplesPerSec: number | undefined;
  curationRatio: number | undefined;
  cost: number;
}

export interface ProgressOptions {
  live: boolean;
  /** A whole line (plain mode, and lines printed above the live line). */
  note: (line: string) => void;
  /** Raw output of the live line (a terminal). */
  write?: (raw: string) => void;
  /** Terminal width. */
  columns?: () => number | undefined;
  plainEverySeconds?: number;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** How far along the run is: steps of maxSteps or minutes of maxMinutes, whichever is further. */
export function fraction(s: ProgressState): number | undefined {
  const parts: number[] = [];
  if (s.maxSteps) parts.push(s.step / s.maxSteps);
  if (s.maxMinutes && s.status === 'running') parts.push(s.elapsedSeconds / (s.maxMinutes * 60));
  return parts.length ? Math.min(1, Math.max(...parts)) : undefined;
}

export function bar(f: number, width: number): string {
  const full = Math.round(f * width);
  return `${'█'.repeat(full)}${pc.dim('░'.repeat(width - full))}`;
}

/** "step 120/1000 [███░░░] 12%  loss 2.314  41.2 samples/s  curated 6.2%  1m12s  $0.00041" */
export function describe(s: ProgressState, barWidth = 20): string {
  const f = fraction(s);
  const steps = `step ${s.step}${s.maxSteps ? `/${s.maxSteps}` : ''}`;
  const parts = [
    status(s.status.padEnd(11)),
    steps,
    f === undefined ? '' : `${bar(f, barWidth)} ${percent(f, 0).padStart(4)}`,
    s.loss === undefined ? '' : `loss ${s.loss.toFixed(3)}`,
    s.samplesPerSec === undefined ? '' : `${s.samplesPerSec.toFixed(1)} samples/s`,
    s.curationRatio === undefined ? '' : `curated ${percent(s.curationRatio)}`,
    `${duration(s.elapsedSeconds)}${s.maxMinutes ? `/${duration(s.maxMinutes * 60)}` : ''}`,
    cost(s.cost),
  ];
  return parts.filter(Boolean).join('  ');
}

export class ProgressLine {
  private shown = '';
  private frame = 0;
  private lastPlain = 0;
  private lastPlainText = '';

  constructor(private readonly o: ProgressOptions) {}

  update(s: ProgressState): void {
    if (this.o.live) {
      const spinner = pc.cyan(SPINNER[this.frame++ % SPINNER.length]!);
      const width = this.o.columns?.() ?? 120;
      let text = `${spinner} ${describe(s)}`;
      if (visibleLength(text) > width - 1) text = `${spinner} ${describe(s, 10)}`;
      this.draw(text);
      return;
    }
    const now = Date.now();
    const text = describe(s);
    if (
      now - this.lastPlain >= (this.o.plainEverySeconds ?? 10) * 1000 &&
      text !== this.lastPlainText
    ) {
      this.lastPlain = now;
      this.lastPlainText = text;
      this.o.note(text);
    }
  }

  /** Print a line above the progress line. */
  print(line: string): void {
    if (!this.o.live) return this.o.note(line);
    const shown = this.shown;
    this.clear();
    this.raw(`${line}\n`);
    if (shown) this.draw(shown);
  }

  /** Remove the progress line (before the final results). */
  done(): void {
    if (this.o.live) this.clear();
  }

  private raw(s: string): void {
    (this.o.write ?? ((x: string) => this.o.note(x.replace(/\n$/, ''))))(s);
  }

  private draw(text: string): void {
    this.raw(`\r\x1b[2K${text}`);
    this.shown = text;
  }

  private clear(): void {
    if (this.shown) this.raw('\r\x1b[2K');
    this.shown = '';
  }
}
