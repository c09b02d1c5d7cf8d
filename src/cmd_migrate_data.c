/*
 * cmd_migrate_data: `zhaoshang migrate-data --from URL --to URL` copies a
 * whole deployment into an empty database, typically from the embedded
 * SQLite file to PostgreSQL, in one transaction on the target, and then
 * proves the copy: the row count of every table and the headline report of
 * every year must be the same on both sides.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "domain/date.h"
#include "report.h"
#include "util/buf.h"

static const char help[] =
	"用法: zhaoshang migrate-data --from URL --to URL\n"
	"把一个库的全部数据 (基础数据、企业、活动、项目、26211 期限) 复制到另一个空库,\n"
	"例如从 sqlite:/var/lib/zhaoshang/zhaoshang.db 到 postgresql://用户@主机/库名。\n"
	"目标库须为空 (可以尚未建表);复制在一个事务中完成,失败时目标库不留任何数据。\n"
	"复制后核对每张表的行数和每一年的主要指标 (report headline),两边一致才算成功。\n"
	"  --from URL   源数据库 (默认 --db 的值)\n"
	"  --to URL     目标数据库\n";

/* Opens url and brings its schema up to date; 0 or -1 (reported). */
static int open_migrated(const char *url, bool must_exist, struct store **s)
{
	char *err = NULL;
	if (store_open(url, !must_exist, s, &err) != 0) {
		cli_fail(EXIT_FAIL, "%s", err);
		free(err);
		return -1;
	}
	int version = 0;
	if (store_schema_version(*s, &version) != 0 || (must_exist && version == 0)) {
		cli_fail(EXIT_FAIL, "源数据库 %s 尚未初始化", url);
		goto fail;
	}
	if (store_migrate(*s, NULL) != 0) {
		cli_fail(EXIT_FAIL, "数据库 %s 迁移失败: %s", url, store_error(*s));
		goto fail;
	}
	return 0;
fail:
	store_close(*s);
	*s = NULL;
	return -1;
}

static int copy_all(struct store *src, struct store *dst, const char *to)
{
	for (int i = 0; store_copy_table_name(i); i++) {
		int64_t n;
		if (store_copy_table_count(dst, i, &n) != 0)
			return cli_fail(EXIT_FAIL, "%s", store_error(dst));
		if (n > 0)
			return cli_fail(EXIT_FAIL, "目标数据库 %s 不是空库 (表 %s 已有 %lld 行)", to,
					store_copy_table_name(i), (long long)n);
	}
	/* The source's write lock keeps it still while it is read. */
	if (store_begin(src) != 0 || store_begin(dst) != 0)
		return cli_fail(EXIT_FAIL, "%s%s", store_error(src), store_error(dst));
	for (int i = 0; store_copy_table_name(i); i++) {
		int64_t rows;
		if (store_copy_table(src, dst, i, &rows) != 0)
			return cli_fail(EXIT_FAIL, "复制失败: %s", store_error(src));
		printf("  %-14s %lld 行\n", store_copy_table_name(i), (long long)rows);
	}
	if (store_commit(dst) != 0)
		return cli_fail(EXIT_FAIL, "提交失败: %s", store_error(dst));
	store_rollback(src);
	return EXIT_OK;
}

/* The headline of every year, as JSON, on one database. */
static int headlines(struct store *s, int from_year, int to_year, struct buf *out)
{
	struct refdata rd;
	if (store_refdata_load(s, &rd) != 0)
		return -1;
	int rc = 0;
	for (int y = from_year; rc == 0 && y <= to_year; y++) {
		rc = report_headline(s, &rd, y, date_from_ymd(y, 12, 31), true, out);
		buf_addc(out, '\n');
	}
	refdata_release(&rd);
	return rc;
}

static int verify(struct store *src, struct store *dst)
{
	int tables = 0;
	for (int i = 0; store_copy_table_name(i); i++, tables++) {
		int64_t a, b;
		if (store_copy_table_count(src, i, &a) != 0 || store_copy_table_count(dst, i, &b) != 0)
			return cli_fail(EXIT_FAIL, "核对失败: %s%s", store_error(src), store_error(dst));
		if (a != b)
			return cli_fail(EXIT_FAIL, "核对失败: 表 %s 源库 %lld 行, 目标库 %lld 行",
					store_copy_table_name(i), (long long)a, (long long)b);
	}
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	int y1, m, d, from = 1990;
	date_to_ymd(today, &y1, &m, &d);
	struct buf a = BUF_INIT, b = BUF_INIT;
	int rc = EXIT_OK;
	if (headlines(src, from, y1 + 1, &a) != 0 || headlines(dst, from, y1 + 1, &b) != 0)
		rc = cli_fail(EXIT_FAIL, "核对失败: %s%s", store_error(src), store_error(dst));
	else if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		rc = cli_fail(EXIT_FAIL, "核对失败: 两边的主要指标不同");
	else
		printf("核对一致: %d 张表的行数相同, %d-%d 年的主要指标相同\n", tables, from, y1 + 1);
	buf_release(&a);
	buf_release(&b);
	return rc;
}

int cmd_migrate_data(int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *from = cli.db, *to = NULL;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "migrate-data: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "migrate-data: 多余的参数 \"%s\"", argv[optind]);
	if (!to)
		return cli_fail(EXIT_USAGE, "migrate-data: 需要 --to 指定目标数据库");
	if (strcmp(from, to) == 0)
		return cli_fail(EXIT_USAGE, "migrate-data: --from 和 --to 是同一个数据库");
	struct store *src = NULL, *dst = NULL;
	int rc = EXIT_FAIL;
	if (open_migrated(from, true, &src) != 0 || open_migrated(to, false, &dst) != 0)
		goto out;
	char *shown_from = store_redact_url(from), *shown_to = store_redact_url(to);
	printf("从 %s 复制到 %s (%s → %s):\n", shown_from, shown_to, store_backend(src),
	       store_backend(dst));
	rc = copy_all(src, dst, shown_to);
	free(shown_from);
	free(shown_to);
	if (rc != EXIT_OK) {
		store_rollback(dst);
		store_rollback(src);
		goto out;
	}
	rc = verify(src, dst);
	if (rc == EXIT_OK) {
		/* The verified copy is the target's next audit row, by the acting
		 * user (whose account came along with the users table). */
		struct principal who;
		char detail[64];
		snprintf(detail, sizeof(detail), "{\"from\":\"%s\"}", store_backend(src));
		if (store_begin(dst) != 0 || cli_actor(dst, PERM_REFDATA_WRITE, &who) != 0 ||
		    audit_append(dst, &who, "migrate-data", "database", NULL, NULL, detail) != 0 ||
		    store_commit(dst) != 0) {
			store_rollback(dst);
			rc = cli_fail(EXIT_FAIL, "记录审计失败: %s", store_error(dst));
		}
	}
out:
	store_close(src);
	store_close(dst);
	return rc;
}
