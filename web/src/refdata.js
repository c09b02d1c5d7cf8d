// refdata: reference data (regions, chains, channels, events, rules), loaded
// once per page load and shared.
import { get } from './api.js'

let cache = null

export function loadRefdata() {
  if (!cache) {
    cache = Promise.all([
      get('/api/regions'),
      get('/api/chains'),
      get('/api/channels'),
      get('/api/events'),
      get('/api/rules'),
    ])
      .then(([regions, chains, channels, events, rules]) => ({ regions, chains, channels, events, rules }))
      .catch((e) => {
        cache = null
        throw e
      })
  }
  return cache
}

// The regions a user may pick: county-level units and their sub-units, only
// within a region operator's own subtree.
export function pickableRegions(regions, user) {
  const units = regions.filter((r) => r.level !== 'province' && r.level !== 'city')
  if (!user || user.role !== 'region' || !user.region) return units
  const own = regions.find((r) => r.name === user.region || r.path === user.region)
  if (!own) return units.filter((r) => r.name === user.region)
  return units.filter((r) => r.id === own.id || r.path.startsWith(own.path + '/'))
}

export const STAGES = ['signed', 'registered', 'started', 'included', 'producing', 'terminated']
export const STATES = ['overdue', 'due_soon', 'pending', 'late_done', 'done', 'exempt']
export const MILESTONES = ['signed', 'registered', 'started', 'included', 'producing']
export const PROVINCES = [
  '北京市', '天津市', '河北省', '山西省', '内蒙古自治区', '辽宁省', '吉林省', '黑龙江省', '上海市', '江苏省',
  '浙江省', '安徽省', '福建省', '江西省', '山东省', '河南省', '湖北省', '湖南省', '广东省', '广西壮族自治区',
  '海南省', '重庆市', '四川省', '贵州省', '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区',
  '新疆维吾尔自治区', '台湾省', '香港特别行政区', '澳门特别行政区', '境外',
]
// The investor database's tags (the server accepts only these).
export const COMPANY_TAGS = ['世界500强', '央企', '国企', '上市公司', '行业龙头', '专精特新', '外资']
