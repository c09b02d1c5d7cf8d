#!/usr/bin/env python3
"""Deterministic synthetic projects for the benchmarks, as an interchange CSV.

    bench/gen.py N [--seed S] [-o FILE]

Writes N projects (header: the English keys of the interchange table) to FILE
or stdout. The same N and seed always give the same bytes. The data follows
the project rules of DOMAIN.md, so `zhaoshang import` accepts every row with
ZHAOSHANG_NOW on or after 2025-12-31:

- signed_on spread over 2019-01-01..2025-12-31 (more in recent years);
- registered >= signed, started >= registered (or >= signed when registration
  is 不适用), included >= started, producing >= started, nothing after
  2025-12-31; recent projects have not reached their later milestones yet,
  a few are stuck (so the 26211 warnings have overdue and due-soon pairs);
- about 5% of projects have a 不适用 milestone, with na_reason;
- about 5% are terminated, dated after all their milestones, with a reason;
- unique codes; investors are drawn from a pool of about N/3 companies, each
  always with the same province, city and (for 60% of them) a valid GB 32100
  credit code; events are "<year>年<month>月<city><kind>" names.

Everything invented here is illustrative (示例) data.
"""
import argparse
import csv
import datetime
import io
import math
import random
import sys

HEADER = [
    "code", "name", "investor", "investor_credit_code", "investor_province",
    "investor_city", "region", "chain", "amount_yi", "channel", "event",
    "foreign_oriented", "major", "responsible", "signed_on", "registered_on",
    "started_on", "included_on", "producing_on", "terminated_on",
    "terminated_reason", "na_reason",
]

# The 13 county-level units (src/refdata.c) with a weight: the urban districts
# and the zones sign more than the mountain counties.
REGIONS = [
    ("襄城区", 9), ("樊城区", 10), ("襄州区", 10), ("老河口市", 7), ("枣阳市", 9),
    ("宜城市", 7), ("南漳县", 5), ("谷城县", 7), ("保康县", 3), ("襄阳高新区", 13),
    ("襄阳经开区", 9), ("东津新区", 8), ("鱼梁洲经济开发区", 3),
]

# The 23 chains (src/refdata.c) with typical products for project names.
CHAINS = [
    ("新能源汽车", 9, ["新能源整车", "电驱动系统", "充换电设施"]),
    ("智能网联汽车", 5, ["车载智能终端", "激光雷达", "线控底盘"]),
    ("汽车零部件", 10, ["汽车轻量化部件", "精密铸件", "汽车电子"]),
    ("新能源电池及储能", 8, ["磷酸铁锂", "储能电池", "电池回收"]),
    ("高端装备制造", 7, ["数控机床", "工业机器人", "智能装备"]),
    ("航空航天", 3, ["航空零部件", "通用航空", "航天材料"]),
    ("硅基新材料", 3, ["工业硅", "有机硅", "光伏玻璃"]),
    ("磷基新材料", 4, ["磷酸铁", "精细磷化工", "电子级磷酸"]),
    ("电子信息", 6, ["光电子器件", "电子元器件", "数据中心"]),
    ("生物医药", 5, ["原料药", "医疗器械", "生物制剂"]),
    ("节能环保", 4, ["固废综合利用", "环保装备", "污水处理"]),
    ("纺织服装", 4, ["高档纺织", "服装加工", "产业用纺织品"]),
    ("现代物流", 5, ["冷链物流园", "智慧物流港", "多式联运中心"]),
    ("优质稻米", 2, ["优质稻米加工", "稻米精深加工"]),
    ("生猪", 2, ["生猪养殖", "生猪屠宰加工"]),
    ("特色淡水产品", 1, ["淡水养殖", "水产品加工"]),
    ("蔬菜(食用菌)", 2, ["香菇深加工", "蔬菜基地"]),
    ("家禽及蛋制品", 1, ["蛋制品加工", "家禽养殖"]),
    ("茶叶", 1, ["茶叶加工", "茶旅融合"]),
    ("现代种业", 1, ["种业研发", "良种繁育"]),
    ("油料", 1, ["油脂加工", "芝麻精深加工"]),
    ("果品", 1, ["果品冷链", "果汁饮料"]),
    ("中药材", 1, ["中药饮片", "中药材种植"]),
]

CHANNELS = [
    ("以商招商", 14), ("点题招商", 8), ("以会招商", 10), ("小分队招商", 12),
    ("商协会招商", 8), ("驻点招商", 14), ("产业链招商", 18), ("平台招商", 6),
    ("境外招商", 3), ("其他", 7),
]

# Investor provinces (full and short forms both appear), weight, cities.
PROVINCES = [
    ("湖北省", 22, ["武汉", "襄阳", "宜昌", "十堰"]),
    ("湖北", 3, ["武汉", "荆门"]),
    ("广东省", 10, ["深圳", "广州", "东莞", "佛山"]),
    ("广东", 2, ["深圳", "珠海"]),
    ("浙江省", 8, ["杭州", "宁波", "温州"]),
    ("江苏省", 8, ["苏州", "南京", "无锡", "常州"]),
    ("上海市", 6, ["上海"]),
    ("北京市", 6, ["北京"]),
    ("山东省", 4, ["济南", "青岛", "烟台"]),
    ("福建省", 4, ["厦门", "福州", "泉州"]),
    ("河南省", 3, ["郑州", "南阳", "洛阳"]),
    ("湖南省", 3, ["长沙", "株洲"]),
    ("四川省", 3, ["成都", "绵阳"]),
    ("安徽省", 3, ["合肥", "芜湖"]),
    ("重庆市", 2, ["重庆"]),
    ("天津市", 2, ["天津"]),
    ("陕西省", 2, ["西安"]),
    ("江西省", 2, ["南昌", "赣州"]),
    ("河北省", 1, ["石家庄", "唐山"]),
    ("辽宁省", 1, ["沈阳", "大连"]),
    ("广西", 1, ["南宁"]),
    ("云南省", 1, ["昆明"]),
    ("香港", 2, ["香港"]),
    ("澳门特别行政区", 1, ["澳门"]),
    ("台湾", 1, ["台北", "新竹"]),
    ("境外", 2, ["新加坡", "东京", "首尔", "法兰克福", "洛杉矶"]),
]

SYLLABLES = ("华 泰 瑞 鑫 恒 信 达 远 宏 盛 联 创 博 凯 嘉 德 安 科 汇 隆 "
             "启 明 智 航 宇 新 力 源 润 丰 通 成 海 天 和 中 金 正 弘 卓").split()
INDUSTRY = ["科技", "新材料", "能源", "实业", "智能", "制造", "控股", "生物", "电子", "农业"]
EVENT_CITIES = ["北京", "深圳", "上海", "苏州", "武汉", "成都", "厦门", "襄阳"]
EVENT_KINDS = ["招商推介会", "产业链对接会", "三集中签约活动", "恳谈会", "项目集中签约仪式"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
         "涛", "明", "超", "秀英", "建华", "志强", "海燕", "国庆"]
KINDS = ["生产基地", "扩建", "产业园", "研发中心", "技改", "总部"]
NA_REASONS = {
    "registered_on": "既有企业增资扩产,不新设项目公司",
    "included_on": "轻资产运营项目,不纳入固定资产投资统计",
    "producing_on": "服务类项目,不涉及投产",
}
TERM_REASONS = ["投资方资金链断裂", "项目选址调整至外地", "企业战略调整", "用地条件未落实",
                "市场环境变化,投资方终止合作"]
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

FIRST = datetime.date(2019, 1, 1)
LAST = datetime.date(2025, 12, 31)
NDAYS = (LAST - FIRST).days + 1
DATES = [(FIRST + datetime.timedelta(days=i)).isoformat() for i in range(NDAYS)]
END = NDAYS - 1


def cumulative(weights):
    out, acc = [], 0
    for w in weights:
        acc += w
        out.append(acc)
    return out, acc


def picker(items, weights):
    """A function of a uniform u in [0, 1) that returns an item by weight,
    through a 1024-slot table (fast and deterministic)."""
    cum, total = cumulative(weights)
    table = []
    i = 0
    for s in range(1024):
        x = (s + 0.5) * total / 1024
        while cum[i] < x:
            i += 1
        table.append(items[i])
    return lambda u: table[int(u * 1024)]


def credit_code(k):
    body = "91" + "420600"[:6] + f"{k:09d}"
    s = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS))
    check = (31 - s % 31) % 31
    return body + CREDIT_ALPHABET[check]


class Companies:
    """Company k: a fixed name, province, city and credit code."""

    def __init__(self, n, seed):
        self.n = n
        self.seed = seed
        self.prov = picker(list(range(len(PROVINCES))), [p[1] for p in PROVINCES])
        self.cache = {}

    def get(self, k):
        c = self.cache.get(k)
        if c:
            return c
        r = random.Random(self.seed * 1000003 + k)
        p = PROVINCES[self.prov(r.random())]
        city = p[2][r.randrange(len(p[2]))]
        syl = []
        x = k
        for _ in range(4):
            syl.append(SYLLABLES[x % 40])
            x //= 40
        name = f"{city}{''.join(syl)}{INDUSTRY[(k * 7) % len(INDUSTRY)]}有限公司"
        if x:
            name += f"({x})"
        code = credit_code(k) if r.random() < 0.6 else ""
        c = (name, code, p[0], city)
        if len(self.cache) < 2_000_000:
            self.cache[k] = c
        return c


def fmt_amount(wan):
    whole, frac = divmod(wan, 10000)
    if frac == 0:
        return str(whole)
    return f"{whole}.{frac:04d}".rstrip("0")


def generate(n, seed, out):
    rnd = random.Random(seed)
    R = rnd.random
    region = picker([r[0] for r in REGIONS], [r[1] for r in REGIONS])
    chain = picker(list(range(len(CHAINS))), [c[1] for c in CHAINS])
    channel = picker([c[0] for c in CHANNELS], [c[1] for c in CHANNELS])
    # Signings grow over the years: weight per day ramps from 1 to 2.
    day = picker(list(range(NDAYS)), [1 + i / NDAYS for i in range(NDAYS)])
    companies = Companies(max(1000, n // 3), seed)
    ncomp = companies.n
    lo, hi = math.log(100), math.log(2_000_000)  # 0.01 .. 200 亿 in 万元
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    rows = []
    for i in range(n):
        s = day(R())
        # Investors: a few very active companies, a long tail.
        k = int(ncomp * R() ** 1.6)
        inv, code_cc, prov, city = companies.get(k)
        ci = chain(R())
        ch = CHAINS[ci] if R() < 0.92 else None
        wan = int(math.exp(lo + (R() ** 0.75) * (hi - lo)))
        if wan >= 10000:
            wan -= wan % 100  # large amounts are stated to 0.01 亿
        elif R() < 0.5:
            wan -= wan % 10
        wan = max(100, min(wan, 2_000_000))
        ev = ""
        chn = channel(R())
        if R() < 0.14:
            y, m = DATES[s][:4], int(DATES[s][5:7])
            ev = f"{y}年{m}月{EVENT_CITIES[(s // 30 + i % 3) % len(EVENT_CITIES)]}{EVENT_KINDS[(s // 7) % len(EVENT_KINDS)]}"
            if R() < 0.6:
                chn = "以会招商"
        abroad = prov in ("境外", "香港", "澳门特别行政区", "台湾")
        foreign = "是" if R() < (0.6 if abroad else 0.12) else "否"
        major = "是" if R() < (0.5 if wan >= 100000 else 0.04) else "否"
        resp = SURNAMES[int(R() * len(SURNAMES))] + GIVEN[int(R() * len(GIVEN))]
        product = ch[2][i % len(ch[2])] if ch else "综合服务"
        name = f"{product}{KINDS[i % len(KINDS)]}项目"
        if wan >= 50000 and R() < 0.3:
            name = f"年产{1 + (i % 30)}万吨{product}项目"

        # Milestones (day indexes; None = not reached; "NA" = 不适用).
        reg = st = inc = prod = None
        na_reason = ""
        stuck = False
        u = R()
        if u < 0.04:
            reg = "NA"
            na_reason = NA_REASONS["registered_on"]
        else:
            v = R()
            if v < 0.025:
                stuck = True
            else:
                d = s + (int(5 + R() * 55) if v < 0.85 else int(61 + R() * 180))
                reg = d if d <= END else None
        if reg is not None:
            base = s if reg == "NA" else reg
            v = R()
            if v < 0.04:
                stuck = True
            else:
                d = s + (int(30 + R() * 150) if v < 0.82 else int(181 + R() * 360))
                d = max(d, base + int(R() * 20))
                st = d if d <= END else None
        if st is not None:
            v = R()
            if v < 0.01 and not na_reason:
                inc = "NA"
                na_reason = NA_REASONS["included_on"]
            elif v < 0.03:
                stuck = True
            else:
                d = st + (int(5 + R() * 55) if v < 0.92 else int(61 + R() * 120))
                inc = d if d <= END else None
            v = R()
            if v < 0.005 and not na_reason:
                prod = "NA"
                na_reason = NA_REASONS["producing_on"]
            elif v < 0.7:
                d = st + int(120 + R() * 780)
                prod = d if d <= END else None
        term = ""
        term_reason = ""
        if R() < (0.35 if stuck else 0.02):
            last = max([x for x in (s, reg, st, inc, prod) if isinstance(x, int)])
            if last < END:
                t = last + 30 + int(R() * 400)
                if t > END:
                    t = last + int(R() * (END - last + 1))
                term = DATES[t]
                term_reason = TERM_REASONS[i % len(TERM_REASONS)]

        def cell(x):
            if x is None:
                return ""
            if x == "NA":
                return "不适用"
            return DATES[x]

        rows.append((
            f"ZS{DATES[s][:4]}{i:07d}", name, inv, code_cc, prov, city,
            region(R()), ch[0] if ch else "", fmt_amount(wan), chn, ev, foreign, major,
            resp, DATES[s], cell(reg), cell(st), cell(inc), cell(prod), term,
            term_reason, na_reason,
        ))
        if len(rows) == 4096:
            w.writerows(rows)
            rows.clear()
    w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=20231231)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    if a.output:
        with open(a.output, "w", encoding="utf-8", newline="", buffering=1 << 20) as f:
            generate(a.n, a.seed, f)
    else:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="",
                               write_through=False)
        generate(a.n, a.seed, out)
        out.flush()


if __name__ == "__main__":
    main()
