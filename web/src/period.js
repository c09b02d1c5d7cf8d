// period: the year and as-of day the figures open on: the latest year with
// signings, as of its last day when it is past, else as of today.
import { get } from './api.js'
import { state } from './session.js'

export function thisYear() {
  return Number((state.today || '2000').slice(0, 4))
}

export function defaultAsOf(year) {
  return year < thisYear() ? `${year}-12-31` : state.today
}

export async function latestSigningYear() {
  const res = await get('/api/projects', { sort: 'signed_on', order: 'desc', limit: 1 })
  const first = res.items && res.items[0]
  return first ? Number(first.signed_on.slice(0, 4)) : thisYear()
}

// Years offered in a picker: from this year back.
export function yearChoices(selected) {
  const out = []
  const top = thisYear()
  const low = Math.min(top, selected || top) - 6
  for (let y = top; y >= low; y--) out.push(y)
  return out
}

// Whether a calendar day may be picked as an as-of day of the year.
export function outsideYear(date, year) {
  const iso = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
  return iso < `${year}-01-01` || iso > state.today
}

// "2025-06-30" -> "2025-05": the month before the day's.
export function previousMonth(day) {
  const y = Number((day || '2000-01').slice(0, 4))
  const m = Number((day || '2000-01').slice(5, 7))
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}
