const pad = (n: number) => String(n).padStart(2, '0');

/** Daemon uptime as `1h02m03s`, `2m03s` or `5s` (hours keep counting past a day). Pure. */
export function formatUptime(totalSecs: number): string {
  const s = Number.isFinite(totalSecs) ? Math.max(0, Math.floor(totalSecs)) : 0;
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(secs)}s`;
  if (minutes > 0) return `${minutes}m${pad(secs)}s`;
  return `${secs}s`;
}
