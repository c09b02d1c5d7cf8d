// effort: the year the effort screens open on: the latest of the last few
// years with a leader's trip (the trip list answers one year at a time),
// else this year.
import { get } from './api.js'
import { thisYear } from './period.js'

export async function latestEffortYear() {
  const top = thisYear()
  for (let y = top; y > top - 6; y--) {
    try {
      if ((await get('/api/trips', { year: y })).length) return y
    } catch {
      return top
    }
  }
  return top
}
