// charts: ECharts with only the parts the screens use, the CJK font stack, no
// animation under automation (tests), and the map outlines.
import * as echarts from 'echarts/core'
import { BarChart, LineChart, MapChart } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  TitleComponent,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, MapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, TitleComponent, CanvasRenderer])

export const FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif'
export const animate = !(typeof navigator !== 'undefined' && navigator.webdriver)

// Options every chart starts from.
export function baseOption() {
  return {
    animation: animate,
    textStyle: { fontFamily: FONT },
    tooltip: { textStyle: { fontFamily: FONT } },
  }
}

export { echarts }

// The province names as the bundled China outline spells them, from the full
// names the API uses ("广东省" -> "广东").
export function shortProvince(name) {
  if (!name) return name
  const special = {
    内蒙古自治区: '内蒙古',
    广西壮族自治区: '广西',
    西藏自治区: '西藏',
    宁夏回族自治区: '宁夏',
    新疆维吾尔自治区: '新疆',
    香港特别行政区: '香港',
    澳门特别行政区: '澳门',
  }
  if (special[name]) return special[name]
  return name.replace(/(省|市)$/, '')
}

// The file name of a province's outline (echarts 4.9's naming), for drilling.
const PINYIN = {
  北京: 'beijing', 天津: 'tianjin', 河北: 'hebei', 山西: 'shanxi', 内蒙古: 'neimenggu', 辽宁: 'liaoning',
  吉林: 'jilin', 黑龙江: 'heilongjiang', 上海: 'shanghai', 江苏: 'jiangsu', 浙江: 'zhejiang', 安徽: 'anhui',
  福建: 'fujian', 江西: 'jiangxi', 山东: 'shandong', 河南: 'henan', 湖北: 'hubei', 湖南: 'hunan',
  广东: 'guangdong', 广西: 'guangxi', 海南: 'hainan', 重庆: 'chongqing', 四川: 'sichuan', 贵州: 'guizhou',
  云南: 'yunnan', 西藏: 'xizang', 陕西: 'shanxi1', 甘肃: 'gansu', 青海: 'qinghai', 宁夏: 'ningxia',
  新疆: 'xinjiang', 台湾: 'taiwan', 香港: 'xianggang', 澳门: 'aomen',
}

const loaded = new Map()
let index = null

async function outlines() {
  if (!index) {
    index = fetch('/maps/index.json', { credentials: 'same-origin' })
      .then((res) => (res.ok ? res.json() : { provinces: [] }))
      .catch(() => ({ provinces: [] }))
  }
  return index
}

// Whether an outline of a province (full name) is installed.
export async function hasProvinceMap(province) {
  const key = PINYIN[shortProvince(province)]
  return !!key && (await outlines()).provinces.includes(key)
}

// Registers and returns the outline of "china" or of a province (by its full
// name); resolves to null when no outline file is installed for it.
export async function loadMap(province) {
  const key = province ? PINYIN[shortProvince(province)] : 'china'
  if (!key || (province && !(await hasProvinceMap(province)))) return null
  const mapName = province ? `province-${key}` : 'china'
  if (loaded.has(mapName)) return loaded.get(mapName)
  const url = province ? `/maps/province/${key}.json` : '/maps/china.json'
  let result = null
  try {
    const res = await fetch(url, { credentials: 'same-origin' })
    if (res.ok && (res.headers.get('Content-Type') || '').includes('json')) {
      echarts.registerMap(mapName, await res.json())
      result = mapName
    }
  } catch {
    result = null
  }
  loaded.set(mapName, result)
  return result
}
