/*
 * dupes: suspected duplicate projects (see dupes.h).
 */
#include "dupes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "util/text.h"
#include "util/xalloc.h"

const char *const dup_reason_keys[DR__COUNT] = {
	"same investor", "similar investor name", "same name",	"similar name",
	"same amount",	 "similar amount",	  "another region", "signed again",
};

const char *const dup_reason_names[DR__COUNT] = {
	"同一投资方", "投资方名称相近", "项目名称相同", "项目名称相近",
	"金额相同",   "金额相差10%以内", "落地区域不同", "再次签约",
};

/* ---- code points ---- */

struct cps {
	uint32_t *v;
	size_t n, cap;
};

static void cps_push(struct cps *c, uint32_t cp)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = cp;
}

/* s is valid UTF-8 (text_normalize's output). */
static void cps_decode(const char *s, struct cps *c)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int len;
		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			len = 3;
		} else {
			cp = *p & 0x07;
			len = 4;
		}
		for (int i = 1; i < len && p[i]; i++)
			cp = (cp << 6) | (p[i] & 0x3F);
		for (int i = 0; i < len && *p; i++)
			p++;
		cps_push(c, cp);
	}
}

static char *cps_encode(const uint32_t *v, size_t n)
{
	char *out = xmalloc(n * 4 + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = v[i];
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xC0 | (cp >> 6));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xE0 | (cp >> 12));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*o++ = (char)(0xF0 | (cp >> 18));
			*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
			*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*o++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	*o = '\0';
	return out;
}

/* The code points of a literal (UTF-8) into v; returns how many (max 16).
 * Decoded in place: this runs for every name compared. */
static size_t lit(const char *s, uint32_t v[16])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p && n < 16) {
		uint32_t cp;
		int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		cp = len == 1 ? *p : len == 2 ? *p & 0x1Fu : len == 3 ? *p & 0x0Fu : *p & 0x07u;
		for (int i = 1; i < len && p[i]; i++)
			cp = (cp << 6) | (p[i] & 0x3Fu);
		for (int i = 0; i < len && *p; i++)
			p++;
		v[n++] = cp;
	}
	return n;
}

static bool is_space(uint32_t cp)
{
	return cp <= 0x20 || cp == 0x7F || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B);
}

static bool is_punct(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
	/* General punctuation, CJK symbols and punctuation, full-width forms
	 * NFKC left (middle dots, brackets, quotes, dashes). */
	return (cp >= 0x2010 && cp <= 0x206F) || (cp >= 0x3001 && cp <= 0x3003) ||
	       (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) || cp == 0x00B7 ||
	       cp == 0x30FB || cp == 0xFF65 || (cp >= 0xFE10 && cp <= 0xFE6F);
}

static bool is_open(uint32_t cp)
{
	return cp == '(' || cp == '[' || cp == '{' || cp == 0x3010 || cp == 0x3014 || cp == 0x3008 ||
	       cp == 0x300A;
}

static bool is_close(uint32_t cp)
{
	return cp == ')' || cp == ']' || cp == '}' || cp == 0x3011 || cp == 0x3015 || cp == 0x3009 ||
	       cp == 0x300B;
}

static bool is_numeral(uint32_t cp)
{
	switch (cp) {
	case 0x4E00: /* 一 */
	case 0x4E8C: /* 二 */
	case 0x4E09: /* 三 */
	case 0x56DB: /* 四 */
	case 0x4E94: /* 五 */
	case 0x516D: /* 六 */
	case 0x4E03: /* 七 */
	case 0x516B: /* 八 */
	case 0x4E5D: /* 九 */
	case 0x5341: /* 十 */
	case 0x767E: /* 百 */
	case 0x5343: /* 千 */
	case 0x4E07: /* 万 */
	case 0x96F6: /* 零 */
	case 0x3007: /* 〇 */
		return true;
	default:
		return cp >= '0' && cp <= '9';
	}
}

/* Whether c ends with the literal s; removes it (when what is left keeps at
 * least keep code points) and returns true. */
static bool strip_suffix(struct cps *c, const char *s, size_t keep)
{
	uint32_t v[16];
	size_t n = lit(s, v);
	if (c->n < n + keep || memcmp(c->v + c->n - n, v, n * sizeof(*v)) != 0)
		return false;
	c->n -= n;
	return true;
}

static bool strip_prefix(struct cps *c, const char *s, size_t keep)
{
	uint32_t v[16];
	size_t n = lit(s, v);
	if (c->n < n + keep || memcmp(c->v, v, n * sizeof(*v)) != 0)
		return false;
	memmove(c->v, c->v + n, (c->n - n) * sizeof(*v));
	c->n -= n;
	return true;
}

/* NFKC, then the code points without spaces and punctuation, ASCII in
 * lower case. Bracketed parts go when drop_bracket(their content) says so. */
static void reduce(const char *name, struct cps *out, bool (*drop_bracket)(const uint32_t *, size_t))
{
	char *t = text_normalize(name ? name : "");
	struct cps c = {0};
	cps_decode(t, &c);
	free(t);
	for (size_t i = 0; i < c.n; i++) {
		uint32_t cp = c.v[i];
		if (is_open(cp)) {
			size_t j = i + 1;
			while (j < c.n && !is_close(c.v[j]))
				j++;
			if (j < c.n && drop_bracket(c.v + i + 1, j - i - 1)) {
				i = j;
				continue;
			}
			continue;
		}
		if (is_space(cp) || is_punct(cp))
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		cps_push(out, cp);
	}
	free(c.v);
}

static bool bracket_has_phase(const uint32_t *v, size_t n)
{
	uint32_t qi[16];
	lit("期", qi);
	for (size_t i = 0; i < n; i++)
		if (v[i] == qi[0])
			return true;
	return false;
}

char *dupes_name_key(const char *name)
{
	struct cps c = {0};
	reduce(name, &c, bracket_has_phase);
	/* Phase markers: (第)一期, 2期, ... anywhere. */
	uint32_t qi[16], di[16];
	lit("期", qi);
	lit("第", di);
	size_t w = 0;
	for (size_t i = 0; i < c.n; i++) {
		if (c.v[i] == qi[0] && w > 0 && is_numeral(c.v[w - 1])) {
			while (w > 0 && is_numeral(c.v[w - 1]))
				w--;
			if (w > 0 && c.v[w - 1] == di[0])
				w--;
			continue;
		}
		c.v[w++] = c.v[i];
	}
	c.n = w;
	static const char *const endings[] = {"建设项目", "工程项目", "项目", "工程", "建设"};
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++)
			if (strip_suffix(&c, endings[i], 2))
				again = true;
	}
	char *out = cps_encode(c.v, c.n);
	free(c.v);
	return out;
}

static const char *const provinces[] = {
	"北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
	"福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
	"甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
};

/* ASCII legal forms, removed as trailing words. */
static const char *const ascii_forms[] = {
	"co", "ltd", "limited", "inc", "corp", "corporation", "group", "holdings", "holding",
	"company", "llc", "plc", "gmbh", "ag", "sa",
};

static bool strip_ascii_form(struct cps *c)
{
	for (size_t i = 0; i < sizeof(ascii_forms) / sizeof(ascii_forms[0]); i++) {
		size_t n = strlen(ascii_forms[i]);
		if (c->n < n + 2)
			continue;
		bool same = true;
		for (size_t k = 0; k < n && same; k++)
			same = c->v[c->n - n + k] == (uint32_t)(unsigned char)ascii_forms[i][k];
		/* A whole word: what precedes is not an ASCII letter. */
		uint32_t before = c->v[c->n - n - 1];
		if (same && !(before >= 'a' && before <= 'z')) {
			c->n -= n;
			return true;
		}
	}
	return false;
}

char *dupes_investor_key(const char *name)
{
	/* ASCII words are told apart before spaces go: "abc co ltd" keeps a
	 * separator (a NUL code point) that is dropped at the end. */
	char *t = text_normalize(name ? name : "");
	struct cps raw = {0}, c = {0};
	cps_decode(t, &raw);
	free(t);
	for (size_t i = 0; i < raw.n; i++) {
		uint32_t cp = raw.v[i];
		if (is_open(cp)) {
			size_t j = i + 1;
			while (j < raw.n && !is_close(raw.v[j]))
				j++;
			if (j < raw.n) {
				i = j;
				cps_push(&c, 0);
				continue;
			}
			continue;
		}
		if (is_space(cp) || is_punct(cp)) {
			if (c.n && c.v[c.n - 1] != 0)
				cps_push(&c, 0);
			continue;
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		cps_push(&c, cp);
	}
	free(raw.v);
	static const char *const forms[] = {"股份有限公司", "有限责任公司", "有限公司", "总公司",
					    "分公司", "公司", "集团", "控股", "股份"};
	for (bool again = true; again;) {
		again = false;
		while (c.n && c.v[c.n - 1] == 0)
			c.n--;
		for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
			if (strip_suffix(&c, forms[i], 2))
				again = true;
		if (strip_ascii_form(&c))
			again = true;
	}
	/* Separators go now. */
	size_t w = 0;
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i] != 0)
			c.v[w++] = c.v[i];
	c.n = w;
	for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++) {
		if (!strip_prefix(&c, provinces[i], 2))
			continue;
		static const char *const tails[] = {"壮族自治区", "回族自治区", "维吾尔自治区",
						    "特别行政区", "自治区", "省", "市"};
		for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]); k++)
			if (strip_prefix(&c, tails[k], 2))
				break;
		break;
	}
	/* A leading city: two or three characters and 市. */
	uint32_t shi[16];
	lit("市", shi);
	for (size_t k = 2; k <= 3; k++)
		if (c.n >= k + 1 + 2 && c.v[k] == shi[0] && c.v[0] > 0x2E80 && c.v[1] > 0x2E80) {
			memmove(c.v, c.v + k + 1, (c.n - k - 1) * sizeof(*c.v));
			c.n -= k + 1;
			break;
		}
	char *out = cps_encode(c.v, c.n);
	free(c.v);
	return out;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The sorted grams of c: pairs, or single code points when there are
 * fewer than two (singles is then set). */
static uint64_t *grams(const struct cps *c, bool singles, size_t *n)
{
	size_t m = singles ? c->n : (c->n ? c->n - 1 : 0);
	uint64_t *g = xmalloc((m ? m : 1) * sizeof(*g));
	for (size_t i = 0; i < m; i++)
		g[i] = singles ? c->v[i] : ((uint64_t)c->v[i] << 21) | c->v[i + 1];
	qsort(g, m, sizeof(*g), cmp_u64);
	*n = m;
	return g;
}

int dupes_alike(const char *a, const char *b)
{
	struct cps x = {0}, y = {0};
	cps_decode(a, &x);
	cps_decode(b, &y);
	int result = 0;
	if (x.n && y.n) {
		bool singles = x.n < 2 || y.n < 2;
		size_t na, nb;
		uint64_t *ga = grams(&x, singles, &na), *gb = grams(&y, singles, &nb);
		size_t i = 0, j = 0, common = 0;
		while (i < na && j < nb) {
			if (ga[i] == gb[j]) {
				common++;
				i++;
				j++;
			} else if (ga[i] < gb[j]) {
				i++;
			} else {
				j++;
			}
		}
		result = na + nb ? (int)(200 * common / (na + nb)) : 0;
		free(ga);
		free(gb);
	}
	free(x.v);
	free(y.v);
	return result;
}

/* Whether two keys carry the same numbers (ASCII digits and Chinese
 * numerals, in order): 一号线 and 二号线, 厂1 and 厂10 are different things
 * however alike the rest is. */
static bool same_numbers(const char *a, const char *b)
{
	struct cps x = {0}, y = {0};
	cps_decode(a, &x);
	cps_decode(b, &y);
	size_t i = 0, j = 0;
	bool same = true;
	for (;;) {
		while (i < x.n && !is_numeral(x.v[i]))
			i++;
		while (j < y.n && !is_numeral(y.v[j]))
			j++;
		if (i == x.n || j == y.n) {
			same = i == x.n && j == y.n;
			break;
		}
		if (x.v[i++] != y.v[j++]) {
			same = false;
			break;
		}
	}
	free(x.v);
	free(y.v);
	return same;
}

/* Whether the shorter of two keys (at least two code points) lies inside
 * the other. */
static bool contains(const char *a, const char *b)
{
	size_t la = text_length(a), lb = text_length(b);
	if (la < lb) {
		const char *t = a;
		a = b;
		b = t;
		lb = la;
	}
	return lb >= 2 && strstr(a, b) != NULL;
}

/* Bytes of the first n code points of s (fewer when s is shorter). */
static size_t cp_bytes(const char *s, size_t n)
{
	size_t i = 0;
	while (s[i] && n > 0) {
		i++;
		while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		n--;
	}
	return i;
}

/* The name key without the investor's name: a key found in it is cut out,
 * or else the longest start (at least two characters) it shares with a
 * key. NULL when nothing is cut or less than two characters would remain. */
static char *name_core(const char *name, const char *k1, const char *k2)
{
	const char *keys[2] = {k1, k2};
	size_t nl = strlen(name);
	for (int k = 0; k < 2; k++) {
		const char *key = keys[k];
		const char *at = key && *key ? strstr(name, key) : NULL;
		if (!at)
			continue;
		size_t kl = strlen(key);
		char *rest = xmalloc(nl - kl + 1);
		memcpy(rest, name, (size_t)(at - name));
		strcpy(rest + (at - name), at + kl);
		if (text_length(rest) >= 2)
			return rest;
		free(rest);
		return NULL;
	}
	size_t best = 0;
	for (int k = 0; k < 2; k++) {
		const char *key = keys[k];
		if (!key)
			continue;
		size_t i = 0;
		while (name[i] && name[i] == key[i])
			i++;
		/* Back to a code point's start. */
		while (i > 0 && name[i] && ((unsigned char)name[i] & 0xC0) == 0x80)
			i--;
		if (i > best)
			best = i;
	}
	if (best < cp_bytes(name, 2) || text_length(name + best) < 2)
		return NULL;
	return xstrdup(name + best);
}

int dupes_compare(const struct dup_rec *a, const struct dup_rec *b, unsigned *reasons)
{
	unsigned why = 0;
	int inv;
	*reasons = 0;
	/* The amounts first: the cheapest test, and the one most pairs fail. */
	int64_t hi = a->amount_wan > b->amount_wan ? a->amount_wan : b->amount_wan;
	int64_t diff = a->amount_wan > b->amount_wan ? a->amount_wan - b->amount_wan
						     : b->amount_wan - a->amount_wan;
	int64_t permille = hi ? diff * 1000 / hi : 0;
	if (permille > 100)
		return 0;
	int amt = (int)(100 - permille / 10);
	why |= 1u << (diff == 0 ? DR_SAME_AMOUNT : DR_SIMILAR_AMOUNT);
	if (a->investor_id && a->investor_id == b->investor_id) {
		inv = 100;
		why |= 1u << DR_SAME_INVESTOR;
	} else if (!a->investor_key || !b->investor_key || !*a->investor_key || !*b->investor_key) {
		return 0;
	} else if (strcmp(a->investor_key, b->investor_key) == 0) {
		inv = 95;
		why |= 1u << DR_SIMILAR_INVESTOR;
	} else if (!same_numbers(a->investor_key, b->investor_key)) {
		return 0;
	} else if (contains(a->investor_key, b->investor_key)) {
		inv = 90;
		why |= 1u << DR_SIMILAR_INVESTOR;
	} else if ((inv = dupes_alike(a->investor_key, b->investor_key)) >= 80) {
		why |= 1u << DR_SIMILAR_INVESTOR;
	} else {
		return 0;
	}

	int nm;
	if (strcmp(a->name_key, b->name_key) == 0) {
		nm = 100;
		why |= 1u << DR_SAME_NAME;
	} else {
		/* The names without the investor's own name in them: another
		 * product of the same investor differs in what is left. */
		char *ca = name_core(a->name_key, a->investor_key, b->investor_key);
		char *cb = name_core(b->name_key, a->investor_key, b->investor_key);
		const char *xa = ca ? ca : a->name_key, *xb = cb ? cb : b->name_key;
		nm = same_numbers(xa, xb) ? dupes_alike(xa, xb) : 0;
		if (nm < 60 && contains(xa, xb) && text_length(xa) >= 4 && text_length(xb) >= 4)
			nm = 70;
		free(ca);
		free(cb);
		if (nm < 60)
			return 0;
		why |= 1u << DR_SIMILAR_NAME;
	}
	if (a->county_id != b->county_id)
		why |= 1u << DR_OTHER_REGION;
	if (a->signed_on != b->signed_on || a->event_id != b->event_id)
		why |= 1u << DR_SIGNED_AGAIN;
	*reasons = why;
	int score = (40 * nm + 30 * inv + 30 * amt + 50) / 100;
	return score < 1 ? 1 : score > 100 ? 100 : score;
}

void dupes_reasons_text(unsigned reasons, struct buf *out)
{
	bool first = true;
	for (int i = 0; i < DR__COUNT; i++)
		if (reasons & (1u << i)) {
			if (!first)
				buf_adds(out, ",");
			buf_adds(out, dup_reason_keys[i]);
			first = false;
		}
}

unsigned dupes_reasons_parse(const char *text)
{
	unsigned bits = 0;
	while (text && *text) {
		const char *end = strchr(text, ',');
		size_t n = end ? (size_t)(end - text) : strlen(text);
		for (int i = 0; i < DR__COUNT; i++)
			if (strlen(dup_reason_keys[i]) == n && strncmp(dup_reason_keys[i], text, n) == 0)
				bits |= 1u << i;
		text = end ? end + 1 : NULL;
	}
	return bits;
}

/* ---- with the store ---- */

struct key_rows {
	int64_t *ids;
	char **names;
	size_t n, cap;
};

static int key_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct key_rows *k = ctx;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 64;
		k->ids = xrealloc(k->ids, k->cap * sizeof(*k->ids));
		k->names = xrealloc(k->names, k->cap * sizeof(*k->names));
	}
	k->ids[k->n] = strtoll(v[0], NULL, 10);
	k->names[k->n++] = xstrdup(v[1] ? v[1] : "");
	return 0;
}

int dupes_keys_fill(struct store *s)
{
	struct key_rows k = {0};
	int rc = store_company_keys_missing(s, key_row, &k);
	for (size_t i = 0; i < k.n; i++) {
		if (rc == 0) {
			char *key = dupes_investor_key(k.names[i]);
			rc = store_company_key_set(s, k.ids[i], key);
			free(key);
		}
		free(k.names[i]);
	}
	free(k.ids);
	free(k.names);
	return rc;
}

/* A candidate row as a record; the strings are owned by the record. */
struct owned_rec {
	struct dup_rec r;
	char *code, *name, *investor, *name_key, *investor_key;
};

static void owned_from_row(struct owned_rec *o, const char *const *v)
{
	memset(o, 0, sizeof(*o));
	o->r.id = strtoll(v[0], NULL, 10);
	o->code = xstrdup(v[1]);
	o->name = xstrdup(v[2] ? v[2] : "");
	o->r.investor_id = strtoll(v[3], NULL, 10);
	o->investor = xstrdup(v[4] ? v[4] : "");
	o->investor_key = xstrdup(v[5] ? v[5] : "");
	o->r.amount_wan = strtoll(v[6], NULL, 10);
	o->r.county_id = strtoll(v[7], NULL, 10);
	if (!v[8] || date_parse_iso(v[8], &o->r.signed_on) != 0)
		o->r.signed_on = DATE_NONE;
	o->r.event_id = v[9] ? strtoll(v[9], NULL, 10) : 0;
	o->r.region_id = strtoll(v[10], NULL, 10);
	o->r.chain_id = v[11] ? strtoll(v[11], NULL, 10) : 0;
	o->name_key = dupes_name_key(o->name);
	o->r.code = o->code;
	o->r.name_key = o->name_key;
	o->r.investor_key = o->investor_key;
}

static void owned_release(struct owned_rec *o)
{
	free(o->code);
	free(o->name);
	free(o->investor);
	free(o->name_key);
	free(o->investor_key);
}

struct find_ctx {
	const struct dup_rec *me;
	struct dup_hit *hits;
	int n, cap;
};

static int find_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct find_ctx *f = ctx;
	struct owned_rec o;
	owned_from_row(&o, v);
	unsigned why;
	int score = dupes_compare(f->me, &o.r, &why);
	if (score > 0) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 8;
			f->hits = xrealloc(f->hits, (size_t)f->cap * sizeof(*f->hits));
		}
		struct dup_hit *h = &f->hits[f->n++];
		h->id = o.r.id;
		h->region_id = o.r.region_id;
		h->chain_id = o.r.chain_id;
		h->amount_wan = o.r.amount_wan;
		h->signed_on = o.r.signed_on;
		h->code = o.code;
		h->name = o.name;
		h->investor = o.investor;
		o.code = o.name = o.investor = NULL;
		h->score = score;
		h->reasons = why;
	}
	owned_release(&o);
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct dup_hit *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->code, y->code);
}

/* The bytes of key's first two code points: candidates share them. */
static size_t key_prefix_len(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	size_t len = 0;
	for (int cp = 0; cp < 2 && p[len]; cp++) {
		len++;
		while (p[len] && (p[len] & 0xC0) == 0x80)
			len++;
	}
	return len;
}

/* The key range of the candidates: keys starting with the first two code
 * points of key. */
static void key_range(const char *key, char lo[16], char hi[20])
{
	size_t len = key_prefix_len(key);
	memcpy(lo, key, len);
	lo[len] = '\0';
	memcpy(hi, key, len);
	memcpy(hi + len, "\xf4\x8f\xbf\xbf", 5);
}

int dupes_find(struct store *s, const struct project *p, const char *investor, int64_t investor_id,
	       struct dup_hit **hits, int *n)
{
	*hits = NULL;
	*n = 0;
	if (dupes_keys_fill(s) != 0)
		return -1;
	char *ikey = dupes_investor_key(investor), *nkey = dupes_name_key(p->name);
	struct dup_rec me = {
		.id = p->id,
		.investor_id = investor_id,
		.county_id = p->county_id,
		.event_id = p->event_id,
		.region_id = p->region_id,
		.chain_id = p->chain_id,
		.amount_wan = p->amount_wan,
		.signed_on = p->ms[MS_SIGNED],
		.code = p->code,
		.name_key = nkey,
		.investor_key = ikey,
	};
	struct find_ctx f = {.me = &me};
	int rc = 0;
	if (*ikey) {
		char lo[16], hi[20];
		key_range(ikey, lo, hi);
		rc = store_dup_candidates(s, lo, hi, p->id, 500, find_row, &f);
	}
	free(ikey);
	free(nkey);
	if (rc != 0) {
		dupes_hits_free(f.hits, f.n);
		return -1;
	}
	if (f.n > 1)
		qsort(f.hits, (size_t)f.n, sizeof(*f.hits), hit_cmp);
	*hits = f.hits;
	*n = f.n;
	return 0;
}

void dupes_hits_free(struct dup_hit *hits, int n)
{
	for (int i = 0; i < n; i++) {
		free(hits[i].code);
		free(hits[i].name);
		free(hits[i].investor);
	}
	free(hits);
}

int dupes_check(struct store *s, const struct project *p, const char *investor,
		int64_t investor_id, const char *now)
{
	struct dup_hit *hits;
	int n;
	if (store_dup_pairs_drop(s, p->id) != 0 || dupes_find(s, p, investor, investor_id, &hits, &n) != 0)
		return -1;
	int rc = 0;
	if (p->terminated_on == DATE_NONE)
		for (int i = 0; i < n && rc == 0; i++) {
			struct buf why = BUF_INIT;
			dupes_reasons_text(hits[i].reasons, &why);
			rc = store_dup_pair_put(s, p->id, hits[i].id, hits[i].score, buf_cstr(&why), now);
			buf_release(&why);
		}
	dupes_hits_free(hits, n);
	return rc;
}

/* ---- the full scan ---- */

#define WINDOW 64

struct pair {
	int64_t a, b;
	int score;
	unsigned reasons;
};

struct scan_ctx {
	struct owned_rec win[WINDOW];
	int nwin, head; /* a ring: the last nwin rows, oldest at head */
	struct pair *pairs;
	size_t npairs, cap;
};

static int scan_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct scan_ctx *c = ctx;
	struct owned_rec o;
	owned_from_row(&o, v);
	/* The rows come in the byte order of their investor keys, so the
	 * window's rows whose key starts as this one's are its newest ones:
	 * count them back from the newest, then compare oldest first. */
	size_t plen = key_prefix_len(o.investor_key);
	int first = c->nwin;
	while (plen > 0 && first > 0) {
		const char *k = c->win[(c->head + first - 1) % WINDOW].investor_key;
		if (strncmp(k, o.investor_key, plen) != 0 || key_prefix_len(k) != plen)
			break;
		first--;
	}
	for (int k = first; k < c->nwin; k++) {
		struct owned_rec *w = &c->win[(c->head + k) % WINDOW];
		unsigned why;
		int score = dupes_compare(&w->r, &o.r, &why);
		if (score <= 0)
			continue;
		if (c->npairs == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->pairs = xrealloc(c->pairs, c->cap * sizeof(*c->pairs));
		}
		c->pairs[c->npairs++] = (struct pair){w->r.id, o.r.id, score, why};
	}
	if (c->nwin == WINDOW) {
		owned_release(&c->win[c->head]);
		c->win[c->head] = o;
		c->head = (c->head + 1) % WINDOW;
	} else {
		c->win[(c->head + c->nwin++) % WINDOW] = o;
	}
	/* The record's pointers point into itself: fix them after the copy. */
	struct owned_rec *placed = &c->win[(c->head + c->nwin - 1) % WINDOW];
	placed->r.code = placed->code;
	placed->r.name_key = placed->name_key;
	placed->r.investor_key = placed->investor_key;
	return 0;
}

int dupes_scan(struct store *s, const char *now, int64_t *found)
{
	if (found)
		*found = 0;
	if (dupes_keys_fill(s) != 0)
		return -1;
	struct scan_ctx *c = xcalloc(1, sizeof(*c));
	int rc = store_dup_candidates(s, NULL, NULL, 0, 0, scan_row, c);
	for (int k = 0; k < c->nwin; k++)
		owned_release(&c->win[(c->head + k) % WINDOW]);
	for (size_t i = 0; i < c->npairs && rc == 0; i++) {
		struct buf why = BUF_INIT;
		dupes_reasons_text(c->pairs[i].reasons, &why);
		rc = store_dup_pair_put(s, c->pairs[i].a, c->pairs[i].b, c->pairs[i].score,
					buf_cstr(&why), now);
		buf_release(&why);
	}
	if (found)
		*found = (int64_t)c->npairs;
	free(c->pairs);
	free(c);
	return rc;
}

/* ---- open groups ---- */

struct open_pair {
	int64_t a, b, ra, ca, rb, cb;
	char *code_a, *code_b;
	int score;
	unsigned reasons;
};

struct open_rows {
	struct open_pair *v;
	size_t n, cap;
};

static int open_row(void *ctx, const char *const *v, int n)
{
	(void)n;
	struct open_rows *o = ctx;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 32;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	struct open_pair *p = &o->v[o->n++];
	p->a = strtoll(v[0], NULL, 10);
	p->b = strtoll(v[1], NULL, 10);
	p->code_a = xstrdup(v[2]);
	p->code_b = xstrdup(v[3]);
	p->score = (int)strtol(v[4], NULL, 10);
	p->reasons = dupes_reasons_parse(v[5]);
	p->ra = strtoll(v[6], NULL, 10);
	p->ca = v[7] ? strtoll(v[7], NULL, 10) : 0;
	p->rb = strtoll(v[8], NULL, 10);
	p->cb = v[9] ? strtoll(v[9], NULL, 10) : 0;
	return 0;
}

/* Union-find over the distinct project ids of the pairs. */
struct member {
	int64_t id, region, chain;
	const char *code;
	size_t parent;
};

static size_t uf_find(struct member *m, size_t i)
{
	while (m[i].parent != i) {
		m[i].parent = m[m[i].parent].parent;
		i = m[i].parent;
	}
	return i;
}

static size_t member_of(struct member **m, size_t *n, size_t *cap, int64_t id, int64_t region,
			int64_t chain, const char *code)
{
	for (size_t i = 0; i < *n; i++)
		if ((*m)[i].id == id)
			return i;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*m = xrealloc(*m, *cap * sizeof(**m));
	}
	(*m)[*n] = (struct member){id, region, chain, code, *n};
	return (*n)++;
}

static int code_cmp(const void *a, const void *b)
{
	const struct member *x = *(struct member *const *)a, *y = *(struct member *const *)b;
	return strcmp(x->code, y->code);
}

static int group_cmp(const void *a, const void *b)
{
	const struct dup_group *x = a, *y = b;
	return strcmp(x->codes[0], y->codes[0]);
}

int dupes_groups(struct store *s, struct dup_group **groups, int *ngroups)
{
	struct open_rows o = {0};
	*groups = NULL;
	*ngroups = 0;
	if (store_dup_pairs_open(s, open_row, &o) != 0) {
		for (size_t i = 0; i < o.n; i++) {
			free(o.v[i].code_a);
			free(o.v[i].code_b);
		}
		free(o.v);
		return -1;
	}
	struct member *m = NULL;
	size_t nm = 0, cap = 0;
	size_t *ia = xmalloc((o.n ? o.n : 1) * sizeof(*ia)), *ib = xmalloc((o.n ? o.n : 1) * sizeof(*ib));
	for (size_t i = 0; i < o.n; i++) {
		ia[i] = member_of(&m, &nm, &cap, o.v[i].a, o.v[i].ra, o.v[i].ca, o.v[i].code_a);
		ib[i] = member_of(&m, &nm, &cap, o.v[i].b, o.v[i].rb, o.v[i].cb, o.v[i].code_b);
	}
	for (size_t i = 0; i < o.n; i++) {
		size_t x = uf_find(m, ia[i]), y = uf_find(m, ib[i]);
		if (x != y)
			m[x > y ? x : y].parent = x < y ? x : y;
	}
	struct dup_group *g = NULL;
	int ng = 0;
	for (size_t root = 0; root < nm; root++) {
		if (uf_find(m, root) != root)
			continue;
		struct member **list = NULL;
		int k = 0;
		for (size_t i = 0; i < nm; i++)
			if (uf_find(m, i) == root) {
				list = xrealloc(list, (size_t)(k + 1) * sizeof(*list));
				list[k++] = &m[i];
			}
		qsort(list, (size_t)k, sizeof(*list), code_cmp);
		g = xrealloc(g, (size_t)(ng + 1) * sizeof(*g));
		struct dup_group *x = &g[ng++];
		memset(x, 0, sizeof(*x));
		x->n = k;
		x->codes = xmalloc((size_t)k * sizeof(*x->codes));
		x->ids = xmalloc((size_t)k * sizeof(*x->ids));
		x->region_ids = xmalloc((size_t)k * sizeof(*x->region_ids));
		x->chain_ids = xmalloc((size_t)k * sizeof(*x->chain_ids));
		for (int i = 0; i < k; i++) {
			x->codes[i] = xstrdup(list[i]->code);
			x->ids[i] = list[i]->id;
			x->region_ids[i] = list[i]->region;
			x->chain_ids[i] = list[i]->chain;
		}
		for (size_t i = 0; i < o.n; i++) {
			if (uf_find(m, ia[i]) != root)
				continue;
			int a = 0, b = 0;
			for (int j = 0; j < k; j++) {
				if (x->ids[j] == o.v[i].a)
					a = j;
				if (x->ids[j] == o.v[i].b)
					b = j;
			}
			x->pairs = xrealloc(x->pairs, (size_t)(x->npairs + 1) * sizeof(*x->pairs));
			x->pairs[x->npairs++] = (struct dup_pair){a < b ? a : b, a < b ? b : a,
								  o.v[i].score, o.v[i].reasons};
			if (o.v[i].score > x->score)
				x->score = o.v[i].score;
			x->reasons |= o.v[i].reasons;
		}
		free(list);
	}
	if (ng > 1)
		qsort(g, (size_t)ng, sizeof(*g), group_cmp);
	for (size_t i = 0; i < o.n; i++) {
		free(o.v[i].code_a);
		free(o.v[i].code_b);
	}
	free(o.v);
	free(ia);
	free(ib);
	free(m);
	*groups = g;
	*ngroups = ng;
	return 0;
}

void dupes_groups_free(struct dup_group *groups, int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < groups[i].n; j++)
			free(groups[i].codes[j]);
		free(groups[i].codes);
		free(groups[i].ids);
		free(groups[i].region_ids);
		free(groups[i].chain_ids);
		free(groups[i].pairs);
	}
	free(groups);
}

void dupes_score_text(int score, char out[8])
{
	unsigned v = score < 0 ? 0 : score > 100 ? 100 : (unsigned)score;
	snprintf(out, 8, "%u.%02u", v / 100, v % 100);
}
