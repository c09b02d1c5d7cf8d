// narrow: whether the window is phone-sized, to leave out table columns.
import { ref } from 'vue'

const query = typeof window !== 'undefined' ? window.matchMedia('(max-width: 600px)') : null
export const narrow = ref(query ? query.matches : false)
if (query) query.addEventListener('change', (e) => (narrow.value = e.matches))
