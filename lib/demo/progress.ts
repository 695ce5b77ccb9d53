/**
 * Progress output for the demo's stages: a redrawn bar on a TTY, plain lines otherwise (a line
 * at the start, at each quarter and at the end, so logs stay short).
 */

/** One stage's progress. */
export interface Stage {
  /** Advances by `n` units (default 1), with an optional short note (e.g. the current loss). */
  tick(n?: number, note?: string): void;
  /** Marks the stage finished with a one-line result. */
  done(result?: string): void;
}

/** Where the demo writes progress. */
export interface Progress {
  stage(name: string, total: number): Stage;
}

function fmtSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

/** Progress on a writable stream: a bar when `tty`, plain lines otherwise. */
export function streamProgress(out: NodeJS.WritableStream & { columns?: number }, tty: boolean): Progress {
  return {
    stage(name: string, total: number): Stage {
      const start = Date.now();
      let count = 0;
      let lastQuarter = -1;
      let lastDraw = 0;
      let finished = false;
      const draw = (note: string) => {
        const width = Math.max(10, Math.min(30, (out.columns ?? 80) - name.length - 40));
        const frac = total > 0 ? Math.min(1, count / total) : 1;
        const filled = Math.round(frac * width);
        const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
        const line = `  ${name} ${bar} ${String(Math.round(frac * 100)).padStart(3)}% ${fmtSeconds((Date.now() - start) / 1000)}${note ? `  ${note}` : ''}`;
        out.write(`\r\x1b[2K${line}`);
      };
      if (!tty) out.write(`  ${name}: started (${total} steps)\n`);
      else draw('');
      return {
        tick(n = 1, note = '') {
          count += n;
          if (tty) {
            const now = Date.now();
            if (now - lastDraw > 80 || count >= total) { draw(note); lastDraw = now; }
          } else {
            const q = Math.floor((4 * count) / Math.max(total, 1));
            if (q > lastQuarter && q < 4) {
              lastQuarter = q;
              if (q > 0) out.write(`  ${name}: ${q * 25}%${note ? `  ${note}` : ''}\n`);
            }
          }
        },
        done(result = '') {
          if (finished) return;
          finished = true;
          count = total;
          const elapsed = fmtSeconds((Date.now() - start) / 1000);
          if (tty) { draw(''); out.write(`\r\x1b[2K  ✓ ${name} (${elapsed})${result ? `  ${result}` : ''}\n`); }
          else out.write(`  ${name}: done in ${elapsed}${result ? `  ${result}` : ''}\n`);
        },
      };
    },
  };
}

/** Progress that writes nothing. */
export const silentProgress: Progress = { stage: () => ({ tick() {}, done() {} }) };
