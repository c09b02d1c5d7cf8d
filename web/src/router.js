// router: the screens, who may open them, and the login guard.
import { createRouter, createWebHistory } from 'vue-router'
import { state, loadSession } from './session.js'
import { homeOf, DATA_ROLES, WRITE_ROLES, DUPLICATE_ROLES, QUALITY_ROLES } from './roles.js'

const routes = [
  { path: '/', redirect: () => homeOf(state.user) },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, bare: true } },
  { path: '/dashboard', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/projects', name: 'projects', component: () => import('./views/ProjectsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/projects/new', name: 'project-new', component: () => import('./views/ProjectFormView.vue'), meta: { roles: WRITE_ROLES } },
  { path: '/projects/:code', name: 'project', component: () => import('./views/ProjectDetailView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/projects/:code/edit', name: 'project-edit', component: () => import('./views/ProjectFormView.vue'), meta: { roles: WRITE_ROLES }, props: true },
  { path: '/import', name: 'import', component: () => import('./views/ImportView.vue'), meta: { roles: WRITE_ROLES } },
  { path: '/warnings', name: 'warnings', component: () => import('./views/WarningsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/heatmap', name: 'heatmap', component: () => import('./views/HeatMapView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/assessments/:month?', name: 'assessment', component: () => import('./views/AssessmentView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/bulletins', name: 'bulletins', component: () => import('./views/BulletinsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/bulletins/:month', name: 'bulletin', component: () => import('./views/BulletinView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/leads', name: 'leads', component: () => import('./views/LeadsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/leads/:id', name: 'lead', component: () => import('./views/LeadView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/funnel', name: 'funnel', component: () => import('./views/FunnelView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/chains/:id?', name: 'chain', component: () => import('./views/ChainMapView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/companies', name: 'companies', component: () => import('./views/CompaniesView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/companies/:id', name: 'company', component: () => import('./views/CompanyView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/events', name: 'events', component: () => import('./views/EventsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/events/:id', name: 'event', component: () => import('./views/EventView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/trips/:id', name: 'trip', component: () => import('./views/TripView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/effort', name: 'effort', component: () => import('./views/EffortView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/major-projects', name: 'major', component: () => import('./views/MajorProjectsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/problems', name: 'problems', component: () => import('./views/ProblemsView.vue'), meta: { roles: DATA_ROLES } },
  { path: '/problems/:id', name: 'problem', component: () => import('./views/ProblemView.vue'), meta: { roles: DATA_ROLES }, props: true },
  { path: '/duplicates', name: 'duplicates', component: () => import('./views/DuplicatesView.vue'), meta: { roles: DUPLICATE_ROLES } },
  { path: '/quality', name: 'quality', component: () => import('./views/QualityView.vue'), meta: { roles: QUALITY_ROLES } },
  { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { roles: ['auditor'] } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { roles: ['admin'] } },
  { path: '/inbox', name: 'inbox', component: () => import('./views/InboxView.vue') },
  { path: '/account', name: 'account', component: () => import('./views/AccountView.vue') },
  { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue') },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  if (!state.loaded) await loadSession()
  if (to.meta.public) {
    if (to.name === 'login' && state.user) return homeOf(state.user)
    return true
  }
  if (!state.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (state.user.password_expired && to.name !== 'account') return { name: 'account', query: { expired: '1' } }
  if (to.meta.roles && !to.meta.roles.includes(state.user.role)) return homeOf(state.user)
  return true
})
