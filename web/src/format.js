// format: display helpers. Figures come from the server as exact strings and
// integers; they are only decorated here (thousands separators, units), never
// recomputed, so no floating point touches a figure.

// "8851.55" -> "8,851.55"; 1499 -> "1,499". Other input is returned as text.
export function thousands(value) {
  if (value === null || value === undefined || value === '') return '—'
  const s = String(value)
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s)
  if (!m) return s
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '')
}

// A rate string from the API ("48.50") as "48.50%", or "—" when null.
export function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${rate}%`
}

// A UTC time stamp "2025-06-29T16:00:00Z" in Beijing time "2025-06-30 00:00:00".
// Done on the integer parts of the string, without the browser's time zone.
export function beijingTime(stamp) {
  if (!stamp) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(stamp)
  if (!m) return stamp
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] + 8, +m[5], +m[6]))
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

// Bytes as "12.3 KB" (a file size, not a figure).
export function fileSize(n) {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
