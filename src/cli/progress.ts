/**
 * Progress for long jobs, on stderr: a bar redrawn in place on a terminal (at most ten times a
 * second), plain log lines every few seconds when the output is a file or a pipe (CI logs).
 */
export interface Bar {
  update(done: number, total: number, extra: string): void;
  /** A line that must not be overwritten (an error), printed above the bar. */
  log(line: string): void;
  end(): void;
}

const clock = (s: number) => {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}` : `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
};

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Bar {
  const tty = stream.isTTY === true;
  const start = Date.now();
  let last = 0;
  let drawn = false;
  let state = { done: 0, total: 0, extra: '' };
  const text = () => {
    const secs = (Date.now() - start) / 1000;
    const rate = state.done / Math.max(secs, 0.001);
    const eta = rate > 0 ? (state.total - state.done) / rate : Infinity;
    return { rate, eta, secs };
  };
  const draw = () => {
    const { rate, eta } = text();
    const width = 24;
    const frac = state.total ? state.done / state.total : 0;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const line = `${label} ${bar} ${state.done}/${state.total} ${rate.toFixed(0)} files/s ${state.extra} ETA ${clock(eta)}`;
    stream.write(`\r\x1b[K${line.slice(0, (stream.columns ?? 100) - 1)}`);
    drawn = true;
  };
  return {
    update(done, total, extra) {
      state = { done, total, extra };
      const now = Date.now();
      if (tty) {
        if (now - last >= 100 || done === total) { last = now; draw(); }
      } else if (now - last >= 5000 || (done === total && total > 0)) {
        last = now;
        const { rate, eta } = text();
        stream.write(`${label}: ${done}/${total} files, ${rate.toFixed(0)} files/s, ${extra}${done < total ? `, ETA ${clock(eta)}` : ''}\n`);
      }
    },
    log(line) {
      if (tty && drawn) stream.write('\r\x1b[K');
      stream.write(`${line}\n`);
      if (tty && drawn) draw();
    },
    end() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
