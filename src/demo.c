/*
 * demo: the deterministic Xiangyang demo data set (see demo.h, DOMAIN.md
 * "The demo" and docs/demo.md).
 *
 * The generator builds every project in memory, then delivers the events and
 * the rows. Randomness comes from one splitmix64 stream with a fixed seed and
 * only integer arithmetic is used, so the output is the same on every run and
 * platform. The article's 2023 figures hold by construction:
 *  - the counted set (signed in 2023, >= 1亿元, investor outside 湖北省, never
 *    terminated) is four disjoint groups: first half at an event, first half
 *    elsewhere, second half at an event, second half elsewhere. Each group
 *    has a fixed size and an exact 万元 target; named projects keep their
 *    amounts and the rest is split by integer weights in multiples of 100万元
 *    (floor shares, remainder to the last), each at least 1亿元;
 *  - the other event projects (in-province, or below 1亿元) fill the event
 *    total exactly the same way;
 *  - exactly STARTED_H1 + STARTED_H2 counted projects start on or before
 *    2023-12-31, and exactly FOREIGN_COUNTED + FOREIGN_IN_PROVINCE projects
 *    >= 1亿元 signed in 2023 are 外向型;
 *  - terminated projects are extra: signed in the second half of 2023, never
 *    at an event, never 外向型, terminated before 2023-12-31.
 * Milestones obey signed <= registered <= started <= included, started <=
 * producing, each needs the earlier ones unless those are 不适用 (at most one
 * 不适用 per project), no date after DEMO_LAST_DATE, no signing after 2023,
 * and a termination follows every milestone of its project.
 */
#include "demo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/money.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A milestone marked 不适用 (never stored: rows carry the text). */
#define DATE_NA (INT32_MIN + 1)

/* The article's 2023 figures and the split chosen to reach them. */
enum {
	N_H1_EV = 110,   /* counted, first half, at an event */
	N_H1 = 846,      /* counted, first half, not at an event */
	N_H2_EV = 120,   /* counted, second half, at an event */
	N_H2 = 423,      /* counted, second half, not at an event */
	N_IN_EV = 20,    /* in-province (湖北), at an event */
	N_SMALL_EV = 9,  /* outside 湖北 but below 1亿元, at an event */
	N_IN = 70,       /* in-province, not at an event */
	N_SMALL = 140,   /* outside 湖北, below 1亿元, not at an event */
	N_TERM = 15,     /* counted-looking but terminated in 2023 */
	N_2022 = 160,    /* the pipeline signed in 2022 */
	STARTED_H1 = 590, /* counted first-half projects started in 2023 */
	STARTED_H2 = 137, /* counted second-half projects started in 2023 */
	FOREIGN_COUNTED = 556,
	FOREIGN_IN_PROVINCE = 15,
};

#define SUM_H1_EV 17000000LL
#define SUM_H1 36513300LL   /* H1 total 53,513,300 */
#define SUM_H2_EV 18300000LL
#define SUM_H2 16702200LL   /* year total 88,515,500 */
#define SUM_EVENTS 37205600LL

enum group {
	G_H1_EV,
	G_H1,
	G_H2_EV,
	G_H2,
	G_IN_EV,
	G_SMALL_EV,
	G_IN,
	G_SMALL,
	G_TERM,
	G_2022,
	G__COUNT
};

static const int group_size[G__COUNT] = {
	N_H1_EV, N_H1, N_H2_EV, N_H2, N_IN_EV,
	N_SMALL_EV, N_IN, N_SMALL, N_TERM, N_2022,
};

/* ---- reference names (must match the reference data shipped by init) ---- */

static const char *const region_names[] = {
	"襄城区", "樊城区", "襄州区", "老河口市", "枣阳市", "宜城市", "南漳县",
	"谷城县", "保康县", "襄阳高新区", "襄阳经开区", "东津新区",
	"鱼梁洲经济开发区",
};
static const int region_weight[] = { 8, 10, 14, 6, 7, 6, 5, 6, 3, 14, 11, 6, 2 };

enum {
	R_XIANGCHENG, R_FANCHENG, R_XIANGZHOU, R_LAOHEKOU, R_ZAOYANG,
	R_YICHENG, R_NANZHANG, R_GUCHENG, R_BAOKANG, R_GAOXIN, R_JINGKAI,
	R_DONGJIN, R_YULIANGZHOU
};

enum {
	CH_NEV, CH_ICV, CH_PARTS, CH_BATTERY, CH_EQUIP, CH_AERO, CH_SILICON,
	CH_PHOSPHORUS, CH_ELECTRONICS, CH_BIOMED, CH_GREEN, CH_TEXTILE,
	CH_LOGISTICS, CH_RICE, CH_PIG, CH_FISH, CH_VEG, CH_POULTRY, CH_TEA,
	CH_SEED, CH_OIL, CH_FRUIT, CH_HERB, CH_NONE, CH__COUNT
};

struct chain_info {
	const char *name; /* "" for projects outside the 23 chains */
	int weight;
	const char *words[2];   /* company-name industry words */
	const char *products[6]; /* project-name product phrases */
	int regions[4];         /* preferred regions, -1 padded */
};

static const struct chain_info chains[CH__COUNT] = {
	{ "新能源汽车", 8, { "新能源汽车", "电动汽车" },
	  { "新能源专用车生产基地", "新能源商用车整车", "电动物流车生产线",
	    "新能源汽车电驱系统", "氢燃料电池汽车", NULL },
	  { R_GAOXIN, R_JINGKAI, R_XIANGZHOU, -1 } },
	{ "智能网联汽车", 5, { "智能科技", "智行科技" },
	  { "智能驾驶域控制器", "车载激光雷达", "车联网终端", "智能座舱系统",
	    "自动驾驶测试场", NULL },
	  { R_GAOXIN, R_DONGJIN, -1, -1 } },
	{ "汽车零部件", 12, { "汽车部件", "精密机械" },
	  { "汽车轻量化铝合金部件", "汽车线束", "新能源汽车热管理系统",
	    "汽车底盘结构件", "汽车内饰件", "精密铸造" },
	  { R_GAOXIN, R_JINGKAI, R_XIANGZHOU, R_ZAOYANG } },
	{ "新能源电池及储能", 9, { "新能源", "储能科技" },
	  { "储能电池", "锂电池隔膜", "磷酸铁锂正极材料", "电解液",
	    "动力电池回收利用", "储能系统集成" },
	  { R_XIANGCHENG, R_GAOXIN, R_JINGKAI, -1 } },
	{ "高端装备制造", 9, { "智能装备", "重工" },
	  { "工业机器人", "数控机床", "智能仓储装备", "轨道交通装备", "液压件",
	    "农机装备" },
	  { R_JINGKAI, R_GAOXIN, R_FANCHENG, -1 } },
	{ "航空航天", 3, { "航空科技", "航天材料" },
	  { "航空零部件精密加工", "无人机研发制造", "航空复合材料",
	    "卫星应用终端", NULL, NULL },
	  { R_GAOXIN, R_JINGKAI, -1, -1 } },
	{ "硅基新材料", 4, { "硅材料", "新材料" },
	  { "工业硅", "有机硅单体", "高纯多晶硅", "硅基负极材料", "光伏玻璃",
	    NULL },
	  { R_GUCHENG, R_BAOKANG, R_LAOHEKOU, -1 } },
	{ "磷基新材料", 4, { "磷化工", "化工新材料" },
	  { "精细磷化工", "磷酸铁", "电子级磷酸", "六氟磷酸锂", "磷石膏综合利用",
	    NULL },
	  { R_BAOKANG, R_NANZHANG, R_YICHENG, -1 } },
	{ "电子信息", 8, { "电子", "光电" },
	  { "消费电子结构件", "柔性电路板", "光模块", "半导体封装测试",
	    "智能终端", "显示模组" },
	  { R_GAOXIN, R_DONGJIN, R_FANCHENG, -1 } },
	{ "生物医药", 6, { "生物医药", "药业" },
	  { "原料药", "医疗器械", "生物制剂", "中药配方颗粒", "医用耗材", NULL },
	  { R_GAOXIN, R_XIANGZHOU, R_DONGJIN, -1 } },
	{ "节能环保", 6, { "环保科技", "节能科技" },
	  { "固废资源化利用", "光伏发电", "污水处理设备", "再生资源回收",
	    "节能装备", NULL },
	  { R_XIANGZHOU, R_YICHENG, R_ZAOYANG, -1 } },
	{ "纺织服装", 5, { "纺织", "服饰" },
	  { "高端纺纱", "功能性面料", "服装加工", "产业用纺织品", "印染", NULL },
	  { R_FANCHENG, R_XIANGZHOU, R_LAOHEKOU, R_ZAOYANG } },
	{ "现代物流", 6, { "供应链", "物流" },
	  { "智慧物流园", "冷链物流中心", "区域分拨中心", "多式联运枢纽",
	    "保税仓储", NULL },
	  { R_XIANGZHOU, R_JINGKAI, R_FANCHENG, -1 } },
	{ "优质稻米", 2, { "粮油", "米业" },
	  { "优质稻米加工", "稻米精深加工", "粮食烘干仓储", NULL, NULL, NULL },
	  { R_XIANGZHOU, R_YICHENG, R_ZAOYANG, -1 } },
	{ "生猪", 2, { "牧业", "食品" },
	  { "生猪养殖", "生猪屠宰及肉制品加工", "饲料加工", NULL, NULL, NULL },
	  { R_XIANGZHOU, R_ZAOYANG, R_YICHENG, R_LAOHEKOU } },
	{ "特色淡水产品", 1, { "水产", "渔业" },
	  { "稻虾综合种养", "淡水鱼加工", "水产品冷链加工", NULL, NULL, NULL },
	  { R_YICHENG, R_XIANGZHOU, -1, -1 } },
	{ "蔬菜(食用菌)", 2, { "农业发展", "菌业" },
	  { "食用菌工厂化生产", "蔬菜基地", "净菜加工", NULL, NULL, NULL },
	  { R_GUCHENG, R_NANZHANG, R_LAOHEKOU, -1 } },
	{ "家禽及蛋制品", 1, { "禽业", "食品" },
	  { "蛋鸡养殖", "禽肉加工", "蛋制品深加工", NULL, NULL, NULL },
	  { R_ZAOYANG, R_XIANGZHOU, -1, -1 } },
	{ "茶叶", 1, { "茶业", "茶业" },
	  { "茶叶精深加工", "生态茶园", NULL, NULL, NULL, NULL },
	  { R_NANZHANG, R_BAOKANG, R_GUCHENG, -1 } },
	{ "现代种业", 1, { "种业", "种业" },
	  { "良种繁育基地", "种子加工中心", NULL, NULL, NULL, NULL },
	  { R_XIANGZHOU, R_ZAOYANG, -1, -1 } },
	{ "油料", 1, { "油脂", "粮油" },
	  { "食用油加工", "油料种植加工", NULL, NULL, NULL, NULL },
	  { R_YICHENG, R_ZAOYANG, -1, -1 } },
	{ "果品", 1, { "果业", "农业发展" },
	  { "果品冷链加工", "鲜果种植基地", "果汁饮品加工", NULL, NULL, NULL },
	  { R_ZAOYANG, R_LAOHEKOU, R_GUCHENG, -1 } },
	{ "中药材", 1, { "中药", "生物科技" },
	  { "中药材种植加工", "中药饮片", NULL, NULL, NULL, NULL },
	  { R_BAOKANG, R_NANZHANG, -1, -1 } },
	{ "", 4, { "文旅", "实业" },
	  { "文旅综合体", "商业综合体", "康养度假区", "城市更新", NULL, NULL },
	  { R_YULIANGZHOU, R_XIANGCHENG, R_DONGJIN, R_NANZHANG } },
};

enum {
	CN_YISHANG, CN_DIANTI, CN_YIHUI, CN_XIAOFENDUI, CN_SHANGXIEHUI,
	CN_ZHUDIAN, CN_CHANYELIAN, CN_PINGTAI, CN_JINGWAI, CN_OTHER
};
static const char *const channel_names[] = {
	"以商招商", "点题招商", "以会招商", "小分队招商", "商协会招商",
	"驻点招商", "产业链招商", "平台招商", "境外招商", "其他",
};
/* Channels of projects not signed at an event. */
static const int channel_weight_plain[] = { 18, 12, 0, 14, 10, 16, 20, 0, 0, 5 };

/* Where investors come from. admin is the 6-digit code used in generated
 * credit codes; NULL outside the mainland (no credit code). */
struct city {
	const char *province, *city, *prefix, *admin;
	int weight;
};

static const struct city cities_out[] = {
	{ "广东省", "深圳市", "深圳", "440300", 70 },
	{ "广东省", "广州市", "广州", "440106", 25 },
	{ "广东省", "东莞市", "东莞", "441900", 15 },
	{ "广东省", "佛山市", "佛山", "440604", 12 },
	{ "广东省", "珠海市", "珠海", "440400", 6 },
	{ "广东省", "惠州市", "惠州", "441300", 6 },
	{ "上海市", "上海市", "上海", "310115", 75 },
	{ "北京市", "北京市", "北京", "110108", 55 },
	{ "天津市", "天津市", "天津", "120116", 10 },
	{ "重庆市", "重庆市", "重庆", "500112", 12 },
	{ "江苏省", "苏州市", "苏州", "320500", 45 },
	{ "江苏省", "南京市", "南京", "320100", 25 },
	{ "江苏省", "无锡市", "无锡", "320200", 18 },
	{ "江苏省", "常州市", "常州", "320400", 15 },
	{ "江苏省", "南通市", "南通", "320600", 8 },
	{ "浙江省", "杭州市", "杭州", "330100", 35 },
	{ "浙江省", "宁波市", "宁波", "330200", 20 },
	{ "浙江省", "温州市", "温州", "330300", 12 },
	{ "浙江省", "嘉兴市", "嘉兴", "330400", 8 },
	{ "浙江省", "台州市", "台州", "331000", 8 },
	{ "福建省", "厦门市", "厦门", "350200", 25 },
	{ "福建省", "福州市", "福州", "350100", 10 },
	{ "福建省", "泉州市", "泉州", "350500", 15 },
	{ "山东省", "济南市", "济南", "370100", 8 },
	{ "山东省", "青岛市", "青岛", "370200", 12 },
	{ "山东省", "烟台市", "烟台", "370600", 6 },
	{ "山东省", "潍坊市", "潍坊", "370700", 5 },
	{ "河南省", "郑州市", "郑州", "410100", 15 },
	{ "湖南省", "长沙市", "长沙", "430100", 20 },
	{ "湖南省", "株洲市", "株洲", "430200", 5 },
	{ "安徽省", "合肥市", "合肥", "340100", 15 },
	{ "安徽省", "芜湖市", "芜湖", "340200", 6 },
	{ "江西省", "南昌市", "南昌", "360100", 10 },
	{ "江西省", "新余市", "新余", "360500", 4 },
	{ "四川省", "成都市", "成都", "510100", 18 },
	{ "四川省", "宜宾市", "宜宾", "511500", 3 },
	{ "陕西省", "西安市", "西安", "610100", 12 },
	{ "河北省", "石家庄市", "石家庄", "130100", 5 },
	{ "河北省", "保定市", "保定", "130600", 3 },
	{ "辽宁省", "沈阳市", "沈阳", "210100", 4 },
	{ "辽宁省", "大连市", "大连", "210200", 4 },
	{ "山西省", "太原市", "太原", "140100", 3 },
	{ "吉林省", "长春市", "长春", "220100", 3 },
	{ "黑龙江省", "哈尔滨市", "哈尔滨", "230100", 3 },
	{ "广西壮族自治区", "南宁市", "南宁", "450100", 4 },
	{ "广西壮族自治区", "柳州市", "柳州", "450200", 3 },
	{ "海南省", "海口市", "海口", "460100", 3 },
	{ "贵州省", "贵阳市", "贵阳", "520100", 3 },
	{ "云南省", "昆明市", "昆明", "530100", 3 },
	{ "甘肃省", "兰州市", "兰州", "620100", 2 },
	{ "宁夏回族自治区", "银川市", "银川", "640100", 2 },
	{ "新疆维吾尔自治区", "乌鲁木齐市", "乌鲁木齐", "650100", 2 },
	{ "内蒙古自治区", "呼和浩特市", "呼和浩特", "150100", 2 },
	{ "内蒙古自治区", "包头市", "包头", "150200", 2 },
	{ "青海省", "西宁市", "西宁", "630100", 1 },
	{ "西藏自治区", "拉萨市", "拉萨", "540100", 1 },
	{ "香港特别行政区", "香港", "香港", NULL, 20 },
	{ "澳门特别行政区", "澳门", "澳门", NULL, 3 },
	{ "台湾省", "台北市", "台湾", NULL, 5 },
	{ "境外", "新加坡", "新加坡", NULL, 6 },
	{ "境外", "东京", "日本", NULL, 4 },
	{ "境外", "首尔", "韩国", NULL, 4 },
	{ "境外", "慕尼黑", "德国", NULL, 3 },
};

static const struct city cities_in[] = {
	{ "湖北省", "襄阳市", "襄阳", "420600", 40 },
	{ "湖北省", "武汉市", "武汉", "420100", 30 },
	{ "湖北省", "宜昌市", "宜昌", "420500", 8 },
	{ "湖北省", "十堰市", "十堰", "420300", 8 },
	{ "湖北省", "荆门市", "荆门", "420800", 5 },
	{ "湖北省", "荆州市", "荆州", "421000", 4 },
	{ "湖北省", "孝感市", "孝感", "420900", 2 },
	{ "湖北省", "随州市", "随州", "421300", 2 },
	{ "湖北省", "黄石市", "黄石", "420200", 1 },
};

/* Invented brand syllables for invented companies (all labelled 示例). */
static const char *const brands[] = {
	"瑞能", "华创", "鼎盛", "恒信", "远航", "宏达", "新锐", "博远", "天启",
	"嘉联", "弘毅", "立德", "锦程", "泰和", "鸿图", "卓越", "众诚", "启明",
	"盛泰", "安达", "凯瑞", "晟通", "德润", "盈科", "云帆", "天润", "正航",
	"科瑞", "同创", "海纳", "金鼎", "华信", "汉邦", "宇航", "联诚", "华耀",
	"思源", "润泽", "恒远", "百川", "君合", "致远", "沃德", "长瑞", "丰华",
	"腾越", "鑫源", "昊天",
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹",
};
static const char *const given_names[] = {
	"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "静", "敏",
	"丽", "艳", "娟", "芳", "建华", "志刚", "海燕", "晓东", "国庆", "红梅",
	"文博", "思远", "卫东", "建军", "春华", "立新", "玉兰", "子涵",
};

static const char *const reasons_reg_na[] = {
	"现有企业扩建,不新设公司",
	"依托现有企业实施,不新设公司",
	"现有企业技改,不新设公司",
};
static const char *const reasons_start_na[] = {
	"租赁现有标准厂房,无新建工程",
	"使用现有厂房,不涉及土建施工",
};
static const char *const reasons_term[] = {
	"投资方资金链紧张,项目终止",
	"企业战略调整,退出投资",
	"用地条件无法满足,双方协商解除协议",
	"市场环境变化,投资方撤回投资",
	"未通过项目评审,协议解除",
};

/* ---- events ---- */

struct event_info {
	struct demo_event pub;
	int weight; /* share of the event groups' projects */
	int chain;  /* theme chain for some of its projects, -1 for none */
};

#define EV_Q1 5
#define EV_Q2 17
#define EV_Q3 30
#define EV_Q4 41
#define EV_HUACHUANG 15
#define EV_CHUSHANG 33
#define EV_SAKURA 4
#define EV_ZHUGE 31
#define EV_NEWYEAR 0
#define EV_SHANGHAI 11
#define EV_XIAMEN 9
#define EV_H2_FIRST 19

static const struct event_info events[] = {
	{ { "2023年襄阳市新春重点项目集中签约会(示例)", "签约会", "襄阳市", "2023-01-10" }, 2, -1 },
	{ { "襄阳(北京)央企合作恳谈会(示例)", "恳谈会", "北京市", "2023-02-22" }, 2, CH_EQUIP },
	{ { "招商春季攻势·武汉专场(示例)", "专题招商", "武汉市", "2023-03-03" }, 2, -1 },
	{ { "襄阳(苏州)智能制造产业推介会(示例)", "推介会", "苏州市", "2023-03-10" }, 2, CH_EQUIP },
	{ { "“相约春天赏樱花”招商活动", "节会", "襄阳市", "2023-03-18" }, 3, -1 },
	{ { "2023年一季度重大项目“三集中”签约活动", "三集中签约", "襄阳市", "2023-03-28" }, 10, -1 },
	{ { "襄阳(深圳)消费电子产业座谈会", "座谈会", "深圳市", "2023-04-07" }, 4, CH_ELECTRONICS },
	{ { "襄阳(杭州)数字经济产业推介会(示例)", "推介会", "杭州市", "2023-04-14" }, 2, CH_ELECTRONICS },
	{ { "襄阳(成都)生物医药产业对接会(示例)", "对接会", "成都市", "2023-04-21" }, 2, CH_BIOMED },
	{ { "襄阳(厦门)现代物流产业洽谈会(示例)", "洽谈会", "厦门市", "2023-04-26" }, 2, CH_LOGISTICS },
	{ { "襄阳(香港)经贸合作推介会(示例)", "推介会", "香港", "2023-05-04" }, 2, -1 },
	{ { "襄阳(上海)新能源汽车及生物医药产业推介会", "推介会", "上海市", "2023-05-11" }, 4, CH_NEV },
	{ { "襄阳(广州)汽车零部件产业推介会(示例)", "推介会", "广州市", "2023-05-18" }, 2, CH_PARTS },
	{ { "襄阳(南京)新能源电池产业座谈会(示例)", "座谈会", "南京市", "2023-05-25" }, 2, CH_BATTERY },
	{ { "襄阳(北京)航空航天产业对接会(示例)", "对接会", "北京市", "2023-06-02" }, 2, CH_AERO },
	{ { "华创会", "洽谈会", "武汉市", "2023-06-08" }, 5, -1 },
	{ { "襄阳(西安)高端装备产业推介会(示例)", "推介会", "西安市", "2023-06-13" }, 2, CH_EQUIP },
	{ { "2023年二季度重大项目“三集中”签约活动", "三集中签约", "襄阳市", "2023-06-20" }, 10, -1 },
	{ { "襄阳(长沙)现代农业产业推介会(示例)", "推介会", "长沙市", "2023-06-27" }, 2, CH_RICE },
	{ { "襄阳(泉州)产业合作洽谈会", "洽谈会", "泉州市", "2023-07-06" }, 4, CH_TEXTILE },
	{ { "襄阳(宁波)汽车零部件产业推介会(示例)", "推介会", "宁波市", "2023-07-13" }, 2, CH_PARTS },
	{ { "襄阳(天津)高端装备产业对接会(示例)", "对接会", "天津市", "2023-07-20" }, 2, CH_EQUIP },
	{ { "招商夏季攻势·长三角专场(示例)", "专题招商", "上海市", "2023-07-27" }, 2, -1 },
	{ { "襄阳(东莞)电子信息产业座谈会(示例)", "座谈会", "东莞市", "2023-08-03" }, 2, CH_ELECTRONICS },
	{ { "襄阳(首尔)经贸合作交流会(示例)", "交流会", "首尔", "2023-08-10" }, 1, -1 },
	{ { "襄阳(青岛)现代农业与食品产业推介会(示例)", "推介会", "青岛市", "2023-08-17" }, 2, CH_PIG },
	{ { "襄阳(合肥)新能源产业对接会(示例)", "对接会", "合肥市", "2023-08-24" }, 2, CH_BATTERY },
	{ { "襄阳(无锡)硅基新材料产业推介会(示例)", "推介会", "无锡市", "2023-08-31" }, 2, CH_SILICON },
	{ { "襄阳(新加坡)经贸合作推介会(示例)", "推介会", "新加坡", "2023-09-07" }, 1, -1 },
	{ { "襄阳(武汉)光谷科技企业座谈会(示例)", "座谈会", "武汉市", "2023-09-14" }, 2, CH_ELECTRONICS },
	{ { "2023年三季度重大项目“三集中”签约活动", "三集中签约", "襄阳市", "2023-09-22" }, 10, -1 },
	{ { "襄阳诸葛亮文化旅游节", "节会", "襄阳市", "2023-09-26" }, 3, CH_NONE },
	{ { "襄阳(重庆)智能网联汽车产业推介会(示例)", "推介会", "重庆市", "2023-10-12" }, 2, CH_ICV },
	{ { "楚商大会", "大会", "武汉市", "2023-10-19" }, 5, -1 },
	{ { "襄阳(深圳)新能源汽车产业链对接会(示例)", "对接会", "深圳市", "2023-10-26" }, 2, CH_NEV },
	{ { "襄阳(北京)生物医药产业推介会(示例)", "推介会", "北京市", "2023-11-02" }, 2, CH_BIOMED },
	{ { "进博会", "展会", "上海市", "2023-11-06" }, 5, -1 },
	{ { "襄阳(广州)粤港澳大湾区产业合作推介会(示例)", "推介会", "广州市", "2023-11-16" }, 2, -1 },
	{ { "襄阳(苏州)纺织服装产业对接会(示例)", "对接会", "苏州市", "2023-11-23" }, 2, CH_TEXTILE },
	{ { "襄阳(郑州)现代物流产业洽谈会(示例)", "洽谈会", "郑州市", "2023-11-30" }, 2, CH_LOGISTICS },
	{ { "襄阳(成都)电子信息产业推介会(示例)", "推介会", "成都市", "2023-12-07" }, 2, CH_ELECTRONICS },
	{ { "2023年四季度重大项目“三集中”签约活动", "三集中签约", "襄阳市", "2023-12-14" }, 10, -1 },
	{ { "襄阳(上海)汽车零部件产业座谈会(示例)", "座谈会", "上海市", "2023-12-21" }, 2, CH_PARTS },
};

#define N_EVENTS COUNT(events)

/* ---- named projects from the article ---- */

struct named {
	int group;
	const char *name, *investor, *province, *city;
	int region, chain, channel;
	int event;             /* index into events, or -1 */
	const char *signed_on; /* when not at an event */
	int64_t amount;        /* 万元; 0: allocated like the others */
	bool foreign, force_start;
	const char *reg_na;    /* registration 不适用 with this reason */
	/* Fixed milestones (the 2022 projects already producing). */
	const char *registered, *started, *included, *producing;
};

static const struct named named_projects[] = {
	{ G_H1, "龙蟠科技襄阳氢能源项目", "江苏龙蟠科技股份有限公司", "江苏省",
	  "南京市", R_XIANGCHENG, CH_BATTERY, CN_YISHANG, -1, "2023-02-09",
	  200000, false, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H1_EV, "中化学万华新能源产业园项目", "中国化学工程股份有限公司",
	  "北京市", "北京市", R_NANZHANG, CH_PHOSPHORUS, CN_CHANYELIAN, EV_Q1,
	  NULL, 1200000, false, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H1_EV, "哈克雷斯新能源汽车产业基地项目", "哈克雷斯新能源汽车公司",
	  "境外", "", R_GAOXIN, CH_NEV, CN_YIHUI, EV_SHANGHAI, NULL, 500000,
	  true, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H1_EV, "厦门象屿襄阳现代物流项目", "厦门象屿集团有限公司", "福建省",
	  "厦门市", R_XIANGZHOU, CH_LOGISTICS, CN_YIHUI, EV_XIAMEN, NULL,
	  250000, true, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H1_EV, "中车襄阳轨道交通装备项目", "中国中车集团有限公司", "北京市",
	  "北京市", R_GAOXIN, CH_EQUIP, CN_CHANYELIAN, EV_Q2, NULL, 300000,
	  false, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H1, "好运联联襄阳供应链物流项目", "福建好运联联", "福建省", "",
	  R_JINGKAI, CH_LOGISTICS, CN_YISHANG, -1, "2023-05-16", 100000, false,
	  false, NULL, NULL, NULL, NULL, NULL },
	{ G_H2_EV, "赣锋锂电襄阳新能源电池项目", "江西赣锋锂电科技股份有限公司",
	  "江西省", "新余市", R_GAOXIN, CH_BATTERY, CN_CHANYELIAN, EV_Q3, NULL,
	  600000, false, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H2, "玉湖冷链襄阳冷链物流项目", "香港玉湖集团", "香港特别行政区",
	  "香港", R_XIANGZHOU, CH_LOGISTICS, CN_JINGWAI, -1, "2023-08-15", 300000,
	  true, true, NULL, NULL, NULL, NULL, NULL },
	{ G_H2, "圆通襄阳供应链物流项目", "圆通速递股份有限公司", "上海市",
	  "上海市", R_XIANGZHOU, CH_LOGISTICS, CN_YISHANG, -1, "2023-10-20",
	  80000, false, false, NULL, NULL, NULL, NULL, NULL },
	{ G_H2, "智仁景行新材料研究院项目", "智仁景行", "北京市", "", R_DONGJIN,
	  CH_SILICON, CN_DIANTI, -1, "2023-11-09", 15000, false, false, NULL,
	  NULL, NULL, NULL, NULL },
	{ G_IN_EV, "东风鸿泰年产5万吨磷酸铁锂正极材料项目",
	  "东风鸿泰控股集团有限公司", "湖北省", "十堰市", R_XIANGCHENG,
	  CH_BATTERY, CN_YIHUI, EV_Q4, NULL, 150000, false, false, NULL, NULL,
	  NULL, NULL, NULL },
	{ G_IN_EV, "湖北港口集团襄阳供应链物流项目", "湖北港口集团有限公司",
	  "湖北省", "武汉市", R_XIANGZHOU, CH_LOGISTICS, CN_PINGTAI, EV_Q2, NULL,
	  200000, false, false, NULL, NULL, NULL, NULL, NULL },
	{ G_IN_EV, "东风襄阳基地新能源整车技改项目(示例)", "东风汽车集团有限公司",
	  "湖北省", "武汉市", R_GAOXIN, CH_NEV, CN_YIHUI, EV_Q1, NULL, 0, false,
	  false, "现有企业技改,不新设公司", NULL, NULL, NULL, NULL },
	{ G_IN, "雪飞新材料研发中心", "雪飞新材料", "湖北省", "襄阳市", R_GAOXIN,
	  CH_NONE, CN_YISHANG, -1, "2023-04-18", 20000, false, false,
	  "依托现有企业实施,不新设公司", NULL, NULL, NULL, NULL },
	{ G_IN, "际华三五四二纺织印染研究院", "际华三五四二纺织有限公司", "湖北省",
	  "襄阳市", R_FANCHENG, CH_TEXTILE, CN_YISHANG, -1, "2023-07-12", 30000,
	  false, false, NULL, NULL, NULL, NULL, NULL },
	{ G_IN, "东风股份襄阳新能源轻卡扩能项目(示例)", "东风汽车股份有限公司",
	  "湖北省", "襄阳市", R_GAOXIN, CH_NEV, CN_OTHER, -1, "2023-08-08", 80000,
	  false, false, "现有企业扩建,不新设公司", NULL, NULL, NULL, NULL },
	{ G_IN, "湖北港口集团襄阳小河港多式联运项目(示例)", "湖北港口集团有限公司",
	  "湖北省", "武汉市", R_XIANGZHOU, CH_LOGISTICS, CN_OTHER, -1,
	  "2023-11-15", 120000, false, false, NULL, NULL, NULL, NULL, NULL },
	{ G_2022, "湖北锂源年产10万吨磷酸铁锂及5万吨磷酸铁项目(占地198亩)",
	  "江苏龙蟠科技股份有限公司", "江苏省", "南京市", R_XIANGCHENG,
	  CH_BATTERY, CN_YISHANG, -1, "2022-02-25", 450000, false, false, NULL,
	  "2022-03-18", "2022-05-10", "2022-06-20", "2023-06-28" },
	{ G_2022, "吉利硅谷硅基新材料项目", "吉利硅谷(谷城)科技有限公司",
	  "湖北省", "襄阳市", R_GUCHENG, CH_SILICON, CN_CHANYELIAN, -1,
	  "2022-04-15", 100000, false, false, NULL, "2022-05-10", "2022-07-01",
	  "2022-08-15", "2023-09-26" },
	{ G_2022, "潘达尔硅基新材料项目", "湖北潘达尔硅基新材料有限责任公司",
	  "湖北省", "襄阳市", R_GUCHENG, CH_SILICON, CN_CHANYELIAN, -1,
	  "2022-06-10", 60000, false, false, NULL, "2022-07-05", "2022-08-20",
	  "2022-10-12", "2023-11-18" },
};

/* ---- the generator ---- */

enum plan { PLAN_BY2023, PLAN_2024, PLAN_NEVER, PLAN_START_NA, PLAN_FREE };

struct proj {
	int group, seq;
	bool named, fixed_amount, fixed_ms, foreign, force_start;
	char name[200];
	char investor[160];
	char credit[19];
	const char *province, *city;
	int region, chain, channel, event;
	int64_t amount;
	char responsible[16];
	int32_t signed_on, registered, started, included, producing, terminated;
	const char *term_reason, *na_reason;
	char code[16];
};

struct gen {
	uint64_t rng;
	struct proj *p;
	int np;
	int ev_count[N_EVENTS];
	int *name_slots; /* open addressing over project indexes, -1 empty */
	int name_cap;
	int32_t d_2022_01_01, d_2023_01_01, d_2023_06_30, d_2023_07_01,
		d_2023_09_30, d_2023_11_30, d_2023_12_28, d_2023_12_31,
		d_2024_01_01, d_2024_01_02, d_2024_06_30, d_last;
};

static uint64_t rng_next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform-enough integer in lo..hi (inclusive; hi >= lo). */
static int rng_range(struct gen *g, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)(rng_next(g) % (uint64_t)(hi - lo + 1));
}

/* True with probability pct/100. */
static bool rng_pct(struct gen *g, int pct)
{
	return (int)(rng_next(g) % 100) < pct;
}

static int pick_weighted(struct gen *g, const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int r = (int)(rng_next(g) % (uint64_t)total);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

static int pick_city(struct gen *g, const struct city *c, int n)
{
	int w[COUNT(cities_out)];
	for (int i = 0; i < n; i++)
		w[i] = c[i].weight;
	return pick_weighted(g, w, n);
}

static int32_t iso(const char *s)
{
	int32_t d = DATE_NONE;
	date_parse_iso(s, &d);
	return d;
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static bool is_date(int32_t d)
{
	return d != DATE_NONE && d != DATE_NA;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Names: a project name is made unique by "二期", "三期", ... */
static bool name_taken(struct gen *g, const char *name)
{
	unsigned h = (unsigned)(fnv1a(name) & (unsigned)(g->name_cap - 1));
	while (g->name_slots[h] >= 0) {
		if (strcmp(g->p[g->name_slots[h]].name, name) == 0)
			return true;
		h = (h + 1) & (unsigned)(g->name_cap - 1);
	}
	return false;
}

static void name_add(struct gen *g, int idx)
{
	unsigned h = (unsigned)(fnv1a(g->p[idx].name) &
				(unsigned)(g->name_cap - 1));
	while (g->name_slots[h] >= 0)
		h = (h + 1) & (unsigned)(g->name_cap - 1);
	g->name_slots[h] = idx;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* GB 32100 alphabet and GB 11714 weights, to build valid invented codes. */
static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* A valid unified social credit code for an invented mainland company:
 * 91 (enterprise) + admin + "MA" organisation code with its GB 11714 check
 * + the GB 32100 check character. Derived from the name, so one company
 * always has one code. */
static void make_credit_code(const char *name, const char *admin, char out[19])
{
	static const int w11714[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	static const int w32100[17] = { 1,  3,  9,  27, 19, 26, 16, 17, 20,
					29, 25, 13, 8,  24, 10, 30, 28 };
	uint64_t h = fnv1a(name);
	char org[9];
	org[0] = 'M';
	org[1] = 'A';
	for (int i = 2; i < 8; i++) {
		org[i] = credit_alphabet[h % 31];
		h /= 31;
	}
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		char c = org[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
		sum += v * w11714[i];
	}
	int c9 = 11 - sum % 11;
	org[8] = c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
	memcpy(out, "91", 2);
	memcpy(out + 2, admin, 6);
	memcpy(out + 8, org, 9);
	sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = (int)(strchr(credit_alphabet, out[i]) - credit_alphabet);
		sum += v * w32100[i];
	}
	int check = (31 - sum % 31) % 31;
	out[17] = credit_alphabet[check];
	out[18] = '\0';
}

static struct proj *new_proj(struct gen *g, int group)
{
	struct proj *p = &g->p[g->np];
	memset(p, 0, sizeof *p);
	p->group = group;
	p->seq = g->np++;
	p->event = -1;
	p->chain = CH_NONE;
	p->channel = CN_OTHER;
	p->registered = p->started = p->included = p->producing = DATE_NONE;
	p->terminated = DATE_NONE;
	p->signed_on = DATE_NONE;
	p->term_reason = p->na_reason = "";
	p->province = p->city = "";
	return p;
}

static bool group_in_province(int group)
{
	return group == G_IN_EV || group == G_IN;
}

static bool group_at_event(int group)
{
	return group == G_H1_EV || group == G_H2_EV || group == G_IN_EV ||
	       group == G_SMALL_EV;
}

static bool group_counted(int group)
{
	return group == G_H1_EV || group == G_H1 || group == G_H2_EV ||
	       group == G_H2;
}

/* An event for a generated project of an event group. */
static int pick_event(struct gen *g, int group)
{
	int lo = 0, hi = N_EVENTS;
	if (group == G_H1_EV)
		hi = EV_H2_FIRST;
	else if (group == G_H2_EV)
		lo = EV_H2_FIRST;
	if (group == G_H1_EV || group == G_H2_EV) {
		/* Every event gets a counted project before any gets two. */
		for (int i = lo; i < hi; i++)
			if (g->ev_count[i] == 0)
				return i;
		int w[N_EVENTS];
		for (int i = lo; i < hi; i++)
			w[i - lo] = events[i].weight;
		return lo + pick_weighted(g, w, hi - lo);
	}
	if (group == G_IN_EV) {
		static const int pool[] = { EV_Q1, EV_Q2, EV_Q3, EV_Q4,
					    EV_CHUSHANG, EV_HUACHUANG,
					    EV_SAKURA, EV_ZHUGE, EV_NEWYEAR };
		static const int w[] = { 6, 6, 6, 6, 4, 2, 1, 1, 2 };
		return pool[pick_weighted(g, w, COUNT(w))];
	}
	return rng_range(g, 0, N_EVENTS - 1);
}

/* A signing date in lo..hi weighted by month (spring and year-end peaks). */
static int32_t pick_date(struct gen *g, int32_t lo, int32_t hi)
{
	static const int month_w[12] = { 10, 14, 20, 18, 19, 19,
					 15, 16, 18, 14, 18, 19 };
	for (;;) {
		int32_t d = (int32_t)rng_range(g, lo, hi);
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		if (rng_range(g, 1, 20) <= month_w[m - 1])
			return d;
	}
}

static void make_responsible(struct gen *g, struct proj *p)
{
	if (!rng_pct(g, 80))
		return;
	const char *s = surnames[rng_range(g, 0, COUNT(surnames) - 1)];
	const char *n = given_names[rng_range(g, 0, COUNT(given_names) - 1)];
	size_t ls = strlen(s), ln = strlen(n);
	memcpy(p->responsible, s, ls);
	memcpy(p->responsible + ls, n, ln);
	p->responsible[ls + ln] = '\0';
}

static int pick_region(struct gen *g, int chain)
{
	const struct chain_info *c = &chains[chain];
	if (rng_pct(g, 55)) {
		int n = 0;
		while (n < 4 && c->regions[n] >= 0)
			n++;
		if (n)
			return c->regions[rng_range(g, 0, n - 1)];
	}
	return pick_weighted(g, region_weight, COUNT(region_weight));
}

static int pick_chain(struct gen *g)
{
	int w[CH__COUNT];
	for (int i = 0; i < CH__COUNT; i++)
		w[i] = chains[i].weight;
	return pick_weighted(g, w, CH__COUNT);
}

static bool abroad(const struct proj *p)
{
	return strcmp(p->province, "境外") == 0 ||
	       strcmp(p->province, "香港特别行政区") == 0 ||
	       strcmp(p->province, "澳门特别行政区") == 0 ||
	       strcmp(p->province, "台湾省") == 0;
}

static int pick_channel(struct gen *g, const struct proj *p)
{
	if (p->event >= 0) {
		static const int w[] = { 5, 0, 60, 0, 0, 0, 5, 30, 0, 0 };
		return pick_weighted(g, w, COUNT(w));
	}
	if (abroad(p) && rng_pct(g, 60))
		return CN_JINGWAI;
	return pick_weighted(g, channel_weight_plain,
			     COUNT(channel_weight_plain));
}

/* Fills an invented project: investor, chain, region, names, channel. */
static void invent(struct gen *g, struct proj *p)
{
	const struct city *c;
	if (group_in_province(p->group) ||
	    (p->group == G_2022 && rng_pct(g, 20))) {
		c = &cities_in[pick_city(g, cities_in, COUNT(cities_in))];
	} else {
		c = NULL;
		/* Half of an event's investors come from the host city. */
		if (p->event >= 0 && rng_pct(g, 50))
			for (int i = 0; i < COUNT(cities_out); i++)
				if (strcmp(cities_out[i].city,
					   events[p->event].pub.city) == 0)
					c = &cities_out[i];
		if (!c)
			c = &cities_out[pick_city(g, cities_out,
						  COUNT(cities_out))];
	}
	p->province = c->province;
	p->city = c->city;

	p->chain = pick_chain(g);
	if (p->event >= 0 && events[p->event].chain >= 0 && rng_pct(g, 60))
		p->chain = events[p->event].chain;
	p->region = pick_region(g, p->chain);

	const struct chain_info *ch = &chains[p->chain];
	int np = 0;
	while (np < 6 && ch->products[np])
		np++;
	const char *product = ch->products[rng_range(g, 0, np - 1)];

	/* A name not used yet: another brand, then later phases (二期...). */
	static const char *const phases[] = { "", "二期", "三期", "四期",
					      "五期", "六期", "七期", "八期" };
	struct buf b = BUF_INIT;
	const char *brand = NULL;
	for (int attempt = 0;; attempt++) {
		int ph = attempt < 12 ? 0 : attempt - 11;
		if (attempt <= 12)
			brand = brands[rng_range(g, 0, COUNT(brands) - 1)];
		buf_reset(&b);
		if (ph < COUNT(phases))
			buf_addf(&b, "%s%s%s项目(示例)", brand, product,
				 phases[ph]);
		else
			buf_addf(&b, "%s%s%d期项目(示例)", brand, product,
				 ph + 1);
		if (!name_taken(g, b.data))
			break;
	}
	copy_str(p->name, sizeof p->name, b.data);
	name_add(g, p->seq);

	const char *word = ch->words[rng_range(g, 0, 1)];
	bool has_keji = strstr(word, "科技") != NULL;
	static const char *const suffix_plain[] = { "有限公司", "科技有限公司",
						    "股份有限公司",
						    "集团有限公司" };
	static const char *const suffix_keji[] = { "有限公司", "股份有限公司" };
	const char *suffix =
		has_keji ? suffix_keji[rng_range(g, 0, 1)]
			 : suffix_plain[rng_range(g, 0, 3)];
	buf_reset(&b);
	buf_addf(&b, "%s%s%s%s(示例)", c->prefix, brand, word, suffix);
	copy_str(p->investor, sizeof p->investor, b.data);
	buf_release(&b);
	if (c->admin && (fnv1a(p->investor) >> 60) < 10)
		make_credit_code(p->investor, c->admin, p->credit);

	p->channel = pick_channel(g, p);
	make_responsible(g, p);
}

/* Weights for splitting a group's amount (tenths: a weight of 0 leaves a
 * project at exactly 1亿元); event projects run bigger. */
static int64_t amount_weight(struct gen *g, bool big)
{
	int r = rng_range(g, 0, 999);
	if (big) {
		if (r < 300)
			return rng_range(g, 0, 60);
		if (r < 700)
			return rng_range(g, 61, 200);
		if (r < 930)
			return rng_range(g, 201, 450);
		return rng_range(g, 451, 800);
	}
	if (r < 550)
		return rng_range(g, 0, 40);
	if (r < 850)
		return rng_range(g, 41, 120);
	if (r < 970)
		return rng_range(g, 121, 320);
	return rng_range(g, 321, 600);
}

/*
 * Splits target 万元 over the group's projects without a fixed amount: each
 * gets 1亿元 plus a floor share of the rest by weight, in units of 100万元;
 * the last one takes the remainder. target - fixed amounts must be a multiple
 * of 100 and at least 1亿元 per project.
 */
static void allocate(struct gen *g, int group, int64_t target, bool big)
{
	int n = 0;
	int64_t fixed = 0;
	for (int i = 0; i < g->np; i++) {
		if (g->p[i].group != group)
			continue;
		if (g->p[i].fixed_amount)
			fixed += g->p[i].amount;
		else
			n++;
	}
	int64_t units = (target - fixed) / 100;
	int64_t extra = units - (int64_t)n * 100;
	int64_t *w = xcalloc((size_t)n, sizeof *w);
	int64_t wsum = 0;
	for (int k = 0; k < n; k++) {
		w[k] = amount_weight(g, big);
		wsum += w[k];
	}
	int64_t given = 0;
	int k = 0, last = -1;
	for (int i = 0; i < g->np; i++) {
		struct proj *p = &g->p[i];
		if (p->group != group || p->fixed_amount)
			continue;
		int64_t share = extra * w[k] / wsum;
		p->amount = (100 + share) * 100;
		given += share;
		last = i;
		k++;
	}
	if (last >= 0)
		g->p[last].amount += (extra - given) * 100;
	free(w);
}

/* A free amount (万元, multiple of 100) for the groups without a target. */
static int64_t free_amount(struct gen *g, int group)
{
	switch (group) {
	case G_SMALL:
	case G_SMALL_EV:
		return 1000 + 100 * (int64_t)rng_range(g, 0, 89);
	case G_IN:
		if (rng_pct(g, 30))
			return 3000 + 100 * (int64_t)rng_range(g, 0, 69);
		return (100 + amount_weight(g, false) * 3) * 100;
	case G_TERM:
		return (100 + amount_weight(g, false) * 5 / 2) * 100;
	default: /* G_2022 */
		if (rng_pct(g, 20))
			return 1000 + 100 * (int64_t)rng_range(g, 0, 89);
		return (100 + amount_weight(g, false) * 5) * 100;
	}
}

/* Sets registered/started/included/producing for a signed project. */
static void milestones(struct gen *g, struct proj *p, enum plan plan,
		       int produce_pct)
{
	int32_t s = p->signed_on, t = DATE_NONE;
	switch (plan) {
	case PLAN_BY2023: {
		int d = g->d_2023_12_31 - s;
		int lo = d < 20 ? d : 20, hi = d < 175 ? d : 175;
		int off = rng_range(g, lo, hi);
		if (rng_pct(g, 15))
			off = rng_range(g, hi, d < 260 ? d : 260);
		t = s + off;
		break;
	}
	case PLAN_2024:
		if (s < g->d_2023_07_01)
			t = g->d_2024_01_02 + rng_range(g, 0, 240);
		else
			t = max32(s + 30, g->d_2024_01_01) +
			    rng_range(g, 0, 170);
		break;
	case PLAN_NEVER:
		break;
	case PLAN_START_NA:
		t = DATE_NA;
		break;
	case PLAN_FREE: {
		int r = rng_range(g, 0, 99);
		if (r < 72) {
			int off = rng_pct(g, 85) ? rng_range(g, 15, 175)
						 : rng_range(g, 176, 420);
			t = s + off;
			if (t > g->d_last)
				t = DATE_NONE;
		} else if (r < 75 && !p->na_reason[0]) {
			t = DATE_NA;
		}
		break;
	}
	}
	p->started = t;
	if (t == DATE_NA)
		p->na_reason = reasons_start_na[rng_range(
			g, 0, COUNT(reasons_start_na) - 1)];

	/* Registration. */
	if (p->registered == DATE_NA) {
		/* set by a named project */
	} else {
		int r = rng_range(g, 0, 99);
		if (r < 5 && t != DATE_NA && !p->na_reason[0]) {
			p->registered = DATE_NA;
			p->na_reason = reasons_reg_na[rng_range(
				g, 0, COUNT(reasons_reg_na) - 1)];
		} else if (r >= 92 && !is_date(t)) {
			p->registered = DATE_NONE; /* not yet */
		} else {
			int off = r < 80 ? rng_range(g, 5, 58)
					 : rng_range(g, 62, 170);
			int32_t reg = s + off;
			if (is_date(t))
				reg = min32(reg, t);
			p->registered = reg <= g->d_last ? reg : DATE_NONE;
		}
	}
	if (!is_date(t))
		return;

	int r = rng_range(g, 0, 99);
	if (r < 80)
		p->included = t + rng_range(g, 5, 55);
	else if (r < 92)
		p->included = t + rng_range(g, 65, 150);
	if (p->included != DATE_NONE && p->included > g->d_last)
		p->included = DATE_NONE;
	if (t <= g->d_2024_06_30 && rng_pct(g, produce_pct)) {
		int32_t pr = t + rng_range(g, 150, 420);
		if (pr <= g->d_last)
			p->producing = pr;
	}
}

/* Shuffles idx[0..n) (Fisher-Yates). */
static void shuffle(struct gen *g, int *idx, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rng_range(g, 0, i);
		int t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
	}
}

/* Chooses exactly k projects among idx[0..n) (forced ones first) and marks
 * them in sel. */
static void choose(struct gen *g, int *idx, int n, int k, bool *sel,
		   bool (*forced)(const struct proj *))
{
	int chosen = 0;
	for (int i = 0; i < n; i++)
		if (forced(&g->p[idx[i]])) {
			sel[idx[i]] = true;
			chosen++;
		}
	shuffle(g, idx, n);
	for (int i = 0; i < n && chosen < k; i++)
		if (!sel[idx[i]]) {
			sel[idx[i]] = true;
			chosen++;
		}
}

static bool forced_start(const struct proj *p)
{
	return p->force_start;
}

static bool forced_foreign(const struct proj *p)
{
	return p->foreign || abroad(p);
}

static bool never_forced(const struct proj *p)
{
	(void)p;
	return false;
}

static void build(struct gen *g)
{
	/* Named projects first, then the invented ones of each group. */
	int named_in[G__COUNT] = { 0 };
	for (int i = 0; i < COUNT(named_projects); i++) {
		const struct named *n = &named_projects[i];
		struct proj *p = new_proj(g, n->group);
		p->named = true;
		copy_str(p->name, sizeof p->name, n->name);
		name_add(g, p->seq);
		copy_str(p->investor, sizeof p->investor, n->investor);
		p->province = n->province;
		p->city = n->city;
		p->region = n->region;
		p->chain = n->chain;
		p->channel = n->channel;
		p->event = n->event;
		p->signed_on = n->event >= 0 ? iso(events[n->event].pub.held_on)
					     : iso(n->signed_on);
		if (n->event >= 0)
			g->ev_count[n->event]++;
		p->amount = n->amount;
		p->fixed_amount = n->amount > 0;
		p->foreign = n->foreign;
		p->force_start = n->force_start;
		if (n->reg_na) {
			p->registered = DATE_NA;
			p->na_reason = n->reg_na;
		}
		if (n->registered) {
			p->fixed_ms = true;
			p->registered = iso(n->registered);
			p->started = iso(n->started);
			p->included = iso(n->included);
			p->producing = iso(n->producing);
		}
		make_responsible(g, p);
		named_in[n->group]++;
	}
	for (int grp = 0; grp < G__COUNT; grp++) {
		for (int k = named_in[grp]; k < group_size[grp]; k++) {
			struct proj *p = new_proj(g, grp);
			if (group_at_event(grp)) {
				p->event = pick_event(g, grp);
				g->ev_count[p->event]++;
				p->signed_on = iso(events[p->event].pub.held_on);
			} else if (grp == G_H1) {
				p->signed_on = pick_date(g, g->d_2023_01_01,
							 g->d_2023_06_30);
			} else if (grp == G_H2) {
				p->signed_on = pick_date(g, g->d_2023_07_01,
							 g->d_2023_12_31);
			} else if (grp == G_TERM) {
				p->signed_on = pick_date(g, g->d_2023_07_01,
							 g->d_2023_09_30);
			} else if (grp == G_2022) {
				p->signed_on = pick_date(g, g->d_2022_01_01,
							 g->d_2023_01_01 - 1);
			} else {
				p->signed_on = pick_date(g, g->d_2023_01_01,
							 g->d_2023_12_31);
			}
			invent(g, p);
		}
	}

	/* Amounts: free groups first (the event total depends on them). */
	int64_t small_ev = 0;
	for (int i = 0; i < g->np; i++) {
		struct proj *p = &g->p[i];
		if (p->fixed_amount)
			continue;
		if (p->group == G_SMALL || p->group == G_SMALL_EV ||
		    p->group == G_IN || p->group == G_TERM ||
		    p->group == G_2022) {
			p->amount = free_amount(g, p->group);
			p->fixed_amount = true;
		}
		if (p->group == G_SMALL_EV)
			small_ev += p->amount;
	}
	allocate(g, G_H1_EV, SUM_H1_EV, true);
	allocate(g, G_H1, SUM_H1, false);
	allocate(g, G_H2_EV, SUM_H2_EV, true);
	allocate(g, G_H2, SUM_H2, false);
	allocate(g, G_IN_EV,
		 SUM_EVENTS - SUM_H1_EV - SUM_H2_EV - small_ev, true);

	/* Which counted projects start in 2023: exactly STARTED_H1 of the
	 * first half and STARTED_H2 of the second half signed by November. */
	size_t nalloc = g->np > 0 ? (size_t)g->np : 1;
	int *idx = xcalloc(nalloc, sizeof *idx);
	bool *sel = xcalloc(nalloc, sizeof *sel);
	int n = 0;
	for (int i = 0; i < g->np; i++)
		if (group_counted(g->p[i].group) &&
		    g->p[i].signed_on <= g->d_2023_06_30)
			idx[n++] = i;
	choose(g, idx, n, STARTED_H1, sel, forced_start);
	n = 0;
	for (int i = 0; i < g->np; i++)
		if (group_counted(g->p[i].group) &&
		    g->p[i].signed_on > g->d_2023_06_30 &&
		    g->p[i].signed_on <= g->d_2023_11_30)
			idx[n++] = i;
	choose(g, idx, n, STARTED_H2, sel, forced_start);

	for (int i = 0; i < g->np; i++) {
		struct proj *p = &g->p[i];
		if (p->fixed_ms)
			continue;
		if (p->group == G_TERM) {
			int32_t last = p->signed_on;
			if (rng_pct(g, 50)) {
				p->registered = p->signed_on + rng_range(g, 10, 40);
				last = p->registered;
			}
			p->terminated = min32(last + rng_range(g, 20, 50),
					      g->d_2023_12_28);
			p->terminated = max32(p->terminated, last);
			p->term_reason = reasons_term[rng_range(
				g, 0, COUNT(reasons_term) - 1)];
			continue;
		}
		if (!group_counted(p->group)) {
			milestones(g, p, PLAN_FREE,
				   p->group == G_2022 ? 55 : 25);
			continue;
		}
		if (sel[i]) {
			milestones(g, p, PLAN_BY2023, 30);
			continue;
		}
		int r = rng_range(g, 0, 99);
		bool h1 = p->signed_on <= g->d_2023_06_30;
		enum plan plan;
		if (h1)
			plan = r < 45 ? PLAN_2024 : r < 92 ? PLAN_NEVER
							   : PLAN_START_NA;
		else
			plan = r < 70 ? PLAN_2024 : r < 95 ? PLAN_NEVER
							   : PLAN_START_NA;
		if (plan == PLAN_START_NA && p->na_reason[0])
			plan = PLAN_NEVER; /* one 不适用 per project */
		milestones(g, p, plan, 30);
	}

	/* A few 2022 projects that never started were terminated later. */
	int terminated_2022 = 0;
	for (int i = 0; i < g->np && terminated_2022 < 4; i++) {
		struct proj *p = &g->p[i];
		if (p->group != G_2022 || p->named || p->started != DATE_NONE)
			continue;
		int32_t last = p->signed_on;
		if (is_date(p->registered))
			last = p->registered;
		int32_t t = last + rng_range(g, 60, 300);
		if (t > g->d_last)
			continue;
		p->terminated = t;
		p->term_reason =
			reasons_term[rng_range(g, 0, COUNT(reasons_term) - 1)];
		terminated_2022++;
	}

	/* 外向型: exactly FOREIGN_COUNTED counted projects (those from abroad
	 * first) and FOREIGN_IN_PROVINCE in-province ones of >= 1亿元. */
	memset(sel, 0, nalloc * sizeof *sel);
	n = 0;
	for (int i = 0; i < g->np; i++)
		if (group_counted(g->p[i].group))
			idx[n++] = i;
	choose(g, idx, n, FOREIGN_COUNTED, sel, forced_foreign);
	n = 0;
	for (int i = 0; i < g->np; i++)
		if (group_in_province(g->p[i].group) &&
		    g->p[i].amount >= 10000)
			idx[n++] = i;
	choose(g, idx, n, FOREIGN_IN_PROVINCE, sel, never_forced);
	for (int i = 0; i < g->np; i++) {
		struct proj *p = &g->p[i];
		if (group_counted(p->group) || group_in_province(p->group))
			p->foreign = sel[i];
		else if (p->group == G_SMALL || p->group == G_SMALL_EV)
			p->foreign = abroad(p) || rng_pct(g, 15);
		else if (p->group == G_2022)
			p->foreign = abroad(p) || rng_pct(g, 35);
		else
			p->foreign = false; /* terminated */
	}
	free(idx);
	free(sel);
}

static int by_signing(const void *a, const void *b)
{
	const struct proj *x = a, *y = b;
	if (x->signed_on != y->signed_on)
		return x->signed_on < y->signed_on ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void date_cell(int32_t d, char out[11])
{
	if (d == DATE_NONE)
		out[0] = '\0';
	else if (d == DATE_NA)
		strcpy(out, "不适用");
	else
		date_format(d, out);
}

/* Builds the demo and delivers it (see demo.h). */
int demo_generate(int (*event)(void *ctx, const struct demo_event *e),
		  int (*row)(void *ctx, const char *const cells[IX__COUNT]),
		  void *ctx)
{
	struct gen g;
	memset(&g, 0, sizeof g);
	g.rng = 0x5A48414F5348414EULL; /* "ZHAOSHAN" */
	int total = 0;
	for (int i = 0; i < G__COUNT; i++)
		total += group_size[i];
	g.p = xcalloc((size_t)total, sizeof *g.p);
	g.name_cap = 8192;
	while (g.name_cap < 4 * total)
		g.name_cap *= 2;
	g.name_slots = xmalloc((size_t)g.name_cap * sizeof *g.name_slots);
	for (int i = 0; i < g.name_cap; i++)
		g.name_slots[i] = -1;
	g.d_2022_01_01 = iso("2022-01-01");
	g.d_2023_01_01 = iso("2023-01-01");
	g.d_2023_06_30 = iso("2023-06-30");
	g.d_2023_07_01 = iso("2023-07-01");
	g.d_2023_09_30 = iso("2023-09-30");
	g.d_2023_11_30 = iso("2023-11-30");
	g.d_2023_12_28 = iso("2023-12-28");
	g.d_2023_12_31 = iso("2023-12-31");
	g.d_2024_01_01 = iso("2024-01-01");
	g.d_2024_01_02 = iso("2024-01-02");
	g.d_2024_06_30 = iso("2024-06-30");
	g.d_last = iso(DEMO_LAST_DATE);

	build(&g);

	/* Codes follow the signing order within each year. */
	qsort(g.p, (size_t)g.np, sizeof *g.p, by_signing);
	int year_seq = 0, cur_year = 0;
	for (int i = 0; i < g.np; i++) {
		int y, m, d;
		date_to_ymd(g.p[i].signed_on, &y, &m, &d);
		if (y != cur_year) {
			cur_year = y;
			year_seq = 0;
		}
		struct buf b = BUF_INIT;
		buf_addf(&b, "XY%d-%04d", y, ++year_seq);
		copy_str(g.p[i].code, sizeof g.p[i].code, b.data);
		buf_release(&b);
	}

	int rc = 0;
	for (int i = 0; i < N_EVENTS && rc == 0; i++)
		rc = event(ctx, &events[i].pub);
	for (int i = 0; i < g.np && rc == 0; i++) {
		const struct proj *p = &g.p[i];
		char amount[32], sd[11], rd[11], st[11], in[11], pr[11], te[11];
		money_format_yi(p->amount, amount);
		date_cell(p->signed_on, sd);
		date_cell(p->registered, rd);
		date_cell(p->started, st);
		date_cell(p->included, in);
		date_cell(p->producing, pr);
		date_cell(p->terminated, te);
		const char *cells[IX__COUNT];
		cells[IX_CODE] = p->code;
		cells[IX_NAME] = p->name;
		cells[IX_INVESTOR] = p->investor;
		cells[IX_INVESTOR_CREDIT_CODE] = p->credit;
		cells[IX_INVESTOR_PROVINCE] = p->province;
		cells[IX_INVESTOR_CITY] = p->city;
		cells[IX_REGION] = region_names[p->region];
		cells[IX_CHAIN] = chains[p->chain].name;
		cells[IX_AMOUNT_YI] = amount;
		cells[IX_CHANNEL] = channel_names[p->channel];
		cells[IX_EVENT] = p->event >= 0 ? events[p->event].pub.name : "";
		cells[IX_FOREIGN_ORIENTED] = p->foreign ? "是" : "否";
		cells[IX_MAJOR] = p->amount >= 100000 ? "是" : "否";
		cells[IX_RESPONSIBLE] = p->responsible;
		cells[IX_SIGNED_ON] = sd;
		cells[IX_REGISTERED_ON] = rd;
		cells[IX_STARTED_ON] = st;
		cells[IX_INCLUDED_ON] = in;
		cells[IX_PRODUCING_ON] = pr;
		cells[IX_TERMINATED_ON] = te;
		cells[IX_TERMINATED_REASON] = p->term_reason;
		cells[IX_NA_REASON] = p->na_reason;
		rc = row(ctx, cells);
	}
	free(g.name_slots);
	free(g.p);
	return rc;
}
