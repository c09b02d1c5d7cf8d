/*
 * companies: the tag list and its checks (see companies.h).
 */
#include "companies.h"

#include <string.h>

const char *const company_tags[] = {"世界500强", "央企", "国企", "上市公司", "行业龙头",
				    "专精特新", "外资", NULL};

int company_tag_find(const char *tag)
{
	for (int i = 0; tag && company_tags[i]; i++)
		if (strcmp(company_tags[i], tag) == 0)
			return i;
	return -1;
}

int company_tags_join(const char *const *tags, int n, struct buf *out, struct buf *why)
{
	unsigned seen = 0;
	for (int i = 0; i < n; i++) {
		int k = company_tag_find(tags[i]);
		if (k < 0) {
			buf_addf(why, "未知的标签 \"%s\" (可选: 世界500强、央企、国企、上市公司、行业龙头、专精特新、外资)",
				 tags[i]);
			return -1;
		}
		if (seen & (1u << k)) {
			buf_addf(why, "标签 \"%s\" 重复", tags[i]);
			return -1;
		}
		seen |= 1u << k;
	}
	for (int k = 0; company_tags[k]; k++)
		if (seen & (1u << k)) {
			if (out->len)
				buf_addc(out, ',');
			buf_adds(out, company_tags[k]);
		}
	return 0;
}
