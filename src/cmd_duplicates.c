/*
 * cmd_duplicates: `zhaoshang duplicates [--json] [--scan]`: the open groups
 * of suspected duplicate projects (dupes.h), after an optional full scan.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "dupes.h"
#include "projects.h"
#include "util/json.h"

static const char help[] =
	"用法: zhaoshang [--user 招商局用户] duplicates [--json] [--scan]\n"
	"列出未处理的疑似重复项目组:同一项目被不同县市区申报、在活动上再次签约、改名 (（一期）、\n"
	"建设/工程项目、空格、全角字符)、投资方名称写法不同、金额相差 10% 以内。\n"
	"已标记为不重复或已合并的组不再列出 (在网页或 API 中处理)。\n"
	"  --json   输出 JSON: [{\"codes\":[...],\"score\":\"0.93\",\"reasons\":[...]}, ...]\n"
	"  --scan   先把全部项目两两比对一遍,记录新发现的疑似重复 (需招商局角色)\n";

static void group_json(struct jw *w, const struct dup_group *g)
{
	char score[8];
	jw_obj(w);
	jw_key(w, "codes");
	jw_arr(w);
	for (int k = 0; k < g->n; k++)
		jw_str(w, g->codes[k]);
	jw_arr_end(w);
	dupes_score_text(g->score, score);
	jw_kstr(w, "score", score);
	jw_key(w, "reasons");
	jw_arr(w);
	for (int i = 0; i < DR__COUNT; i++)
		if (g->reasons & (1u << i))
			jw_str(w, dup_reason_keys[i]);
	jw_arr_end(w);
	jw_key(w, "pairs");
	jw_arr(w);
	for (int k = 0; k < g->npairs; k++) {
		jw_obj(w);
		jw_key(w, "codes");
		jw_arr(w);
		jw_str(w, g->codes[g->pairs[k].a]);
		jw_str(w, g->codes[g->pairs[k].b]);
		jw_arr_end(w);
		dupes_score_text(g->pairs[k].score, score);
		jw_kstr(w, "score", score);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static void group_text(struct buf *out, const struct dup_group *g)
{
	char score[8];
	dupes_score_text(g->score, score);
	for (int k = 0; k < g->n; k++)
		buf_addf(out, "%s%s", k ? ", " : "", g->codes[k]);
	buf_addf(out, "  %s  ", score);
	bool first = true;
	for (int i = 0; i < DR__COUNT; i++)
		if (g->reasons & (1u << i)) {
			buf_addf(out, "%s%s", first ? "" : "、", dup_reason_names[i]);
			first = false;
		}
	buf_addc(out, '\n');
}

int cmd_duplicates(int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"scan", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, scan = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 's': scan = true; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "duplicates: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "duplicates: 多余的参数 \"%s\"", argv[optind]);
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	int64_t found = 0;
	if (scan) {
		struct principal who;
		char now[21], detail[64];
		projects_utc_now(now);
		if (cli_actor(s, PERM_VERIFY, &who) != 0) {
			cli_close(s, &rd);
			return EXIT_FAIL;
		}
		if (store_begin(s) != 0 || dupes_scan(s, now, &found) != 0 ||
		    (snprintf(detail, sizeof(detail), "{\"pairs\":%lld}", (long long)found),
		     audit_append(s, &who, "duplicates.scan", "duplicates", "scan", NULL, detail)) != 0 ||
		    store_commit(s) != 0) {
			rc = cli_fail(EXIT_FAIL, "查重失败: %s", store_error(s));
			store_rollback(s);
			cli_close(s, &rd);
			return rc;
		}
	}
	struct dup_group *g;
	int n;
	if (dupes_groups(s, &g, &n) != 0) {
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
		cli_close(s, &rd);
		return rc;
	}
	struct buf out = BUF_INIT;
	if (json) {
		struct jw w;
		jw_init(&w, &out);
		jw_arr(&w);
		for (int i = 0; i < n; i++)
			group_json(&w, &g[i]);
		jw_arr_end(&w);
		buf_addc(&out, '\n');
	} else {
		if (scan)
			buf_addf(&out, "比对完成,发现 %lld 对疑似重复\n", (long long)found);
		for (int i = 0; i < n; i++)
			group_text(&out, &g[i]);
		buf_addf(&out, "共 %d 组疑似重复项目\n", n);
	}
	if (cli_write_file(NULL, out.data, out.len) != 0)
		rc = EXIT_FAIL;
	buf_release(&out);
	dupes_groups_free(g, n);
	cli_close(s, &rd);
	return rc;
}
