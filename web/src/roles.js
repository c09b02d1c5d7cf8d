// roles: what each role is offered in the interface. The server enforces the
// same rules (docs/security.md); this only hides what would be refused.

export const DATA_ROLES = ['bureau', 'region', 'chain', 'supervisor', 'leader']
export const WRITE_ROLES = ['bureau', 'region']

// The investor database and leads: also a chain's task force.
export const COMPANY_ROLES = ['bureau', 'region', 'chain']
// Events, campaigns, trips and stationed teams.
export const EFFORT_ROLES = ['bureau', 'region']
// Dispatch meetings and their decisions.
export const DISPATCH_ROLES = ['bureau', 'supervisor']
// Figures one can trust: suspected duplicates (a region operator sees those
// wholly inside its region) and the data-quality page.
export const DUPLICATE_ROLES = ['bureau', 'region', 'supervisor']
export const QUALITY_ROLES = DATA_ROLES
// Merging duplicates, verifying milestones, confirming amounts and recording
// the referring unit: the city bureau only.
export const VERIFY_ROLES = ['bureau']

export function may(user, roles) {
  return !!user && roles.includes(user.role)
}

export function canWrite(user) {
  return !!user && WRITE_ROLES.includes(user.role)
}

export function readsProjects(user) {
  return !!user && DATA_ROLES.includes(user.role)
}

// The first page of a role after login.
export function homeOf(user) {
  if (!user) return '/login'
  if (user.role === 'admin') return '/admin'
  if (user.role === 'auditor') return '/audit'
  return '/dashboard'
}
