/** Formatting of the bench's printed table (pure; unit-tested). */
import type { CaseResult, Machine, Metric } from './harness';

/** A value in its unit, with a precision that suits the unit. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(3) : value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms`;
    case 'tok/s':
    case 'B':
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
    case 'KB':
    case 'MB':
    case 'x':
      return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}${unit === 'x' ? '×' : ` ${unit}`}`;
    default:
      return `${Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)} ${unit}`;
  }
}

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

function metricRow(m: Metric, nameWidth: number): string {
  const med = formatValue(m.median, m.unit);
  const p95 = m.p95 === undefined ? '' : formatValue(m.p95, m.unit);
  const n = m.n === undefined ? '' : String(m.n);
  const note = m.note ? `  ${m.note}` : '';
  return `    ${pad(m.name, nameWidth)} ${pad(med, 18, true)} ${pad(p95, 18, true)} ${pad(n, 4, true)}${note}`;
}

export function renderMachine(machine: Machine): string {
  return (
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM (${machine.freeMemoryGiB} free), ` +
    `Node ${machine.node}, ${machine.os}; load average ${machine.loadAverage.join(' ')}`
  );
}

export function renderResults(results: CaseResult[]): string {
  const lines: string[] = [];
  const nameWidth = Math.max(24, ...results.flatMap((r) => r.metrics.map((m) => [...m.name].length)));
  for (const r of results) {
    lines.push('');
    lines.push(`[${r.id}] ${r.title}  (${r.seconds.toFixed(1)} s)`);
    if (r.status === 'skipped') {
      lines.push(`    skipped: ${r.reason}`);
      continue;
    }
    if (r.status === 'error') lines.push(`    ERROR: ${r.reason}`);
    if (r.metrics.length > 0) {
      lines.push(`    ${pad('metric', nameWidth)} ${pad('median', 18, true)} ${pad('p95', 18, true)} ${pad('n', 4, true)}`);
      for (const m of r.metrics) lines.push(metricRow(m, nameWidth));
    }
    for (const g of r.goals) lines.push(`    goal ${g.text}: ${g.actual} → ${g.met ? 'MET' : 'MISSED'}`);
    for (const note of r.notes) lines.push(`    · ${note}`);
  }
  return lines.join('\n');
}

/** One line per goal across all cases, then the skipped and failed cases. */
export function renderSummary(results: CaseResult[]): string {
  const rows: string[][] = [['case', 'goal', 'actual', 'status']];
  for (const r of results) {
    if (r.status === 'skipped') rows.push([r.id, '—', '—', `skipped: ${r.reason}`]);
    else if (r.status === 'error' && r.goals.length === 0) rows.push([r.id, '—', '—', `error: ${r.reason}`]);
    for (const g of r.goals) rows.push([r.id, g.text, g.actual, g.met ? 'MET' : 'MISSED']);
  }
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => [...row[i]].length)));
  return rows.map((row) => row.map((cell, i) => (i < 3 ? pad(cell, widths[i]) : cell)).join('  ')).join('\n');
}
