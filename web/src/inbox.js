// inbox: the user's unread reminders, counted for the badge in the header.
// Asked again on every change of page (not on a timer, so an idle session
// still times out) and after a reminder is marked read.
import { reactive } from 'vue'
import { get } from './api.js'

export const inbox = reactive({ unread: 0 })

export async function refreshInbox() {
  try {
    const items = await get('/api/inbox', { limit: 1000 })
    inbox.unread = items.filter((m) => !m.read_at).length
  } catch {
    // The badge stays as it was; the page reports its own failures.
  }
}
