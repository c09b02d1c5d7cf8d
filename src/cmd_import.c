/*
 * cmd_import: `zhaoshang import FILE` and `zhaoshang export`, the
 * interchange table in and out (DOMAIN.md, "Interchange").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "domain/date.h"
#include "export.h"
#include "import.h"
#include "refdata.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const char import_help[] =
	"用法: zhaoshang import FILE [--dry-run]\n"
	"从 CSV (UTF-8 或 GB18030) 或 XLSX 导入项目。表头可用中文标题或英文键,列顺序任意。\n"
	"全部成功才写入:任何错误都会以 FILE:行:列: 说明 的形式列出,且不写入任何数据 (退出码 1)。\n"
	"已存在的项目编号会被更新:文件中有的列覆盖,空单元格清空,没有的列保持不变。\n"
	"--dry-run 只检查,不写入。\n";

/* The bar follows the bytes read (the row count is not known in advance);
 * the rows read so far are shown after it. */
static void progress(void *ctx, size_t rows, size_t done, size_t total)
{
	(void)ctx;
	int width = 40, fill = total ? (int)((double)done * width / (double)total) : width;
	fprintf(stderr, "\r导入中 [");
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3d%% %zu 行", total ? (int)((double)done * 100 / (double)total) : 100,
		rows);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool dry_run = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': dry_run = true; break;
		case 'h': fputs(import_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "import: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_fail(EXIT_USAGE, "import 需要且只需要一个文件参数");
	const char *path = argv[optind];
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	char *data;
	size_t len;
	if (cli_read_file(path, &data, &len) != 0)
		return EXIT_FAIL;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0) {
		free(data);
		return EXIT_FAIL;
	}
	struct principal who;
	if (cli_actor(s, PERM_PROJECT_WRITE, &who) != 0) {
		free(data);
		cli_close(s, &rd);
		return EXIT_FAIL;
	}
	struct import_opts o = {.dry_run = dry_run, .today = today, .who = &who, .exclusive = true};
	if (isatty(STDERR_FILENO)) {
		o.progress = progress;
	}
	struct import_result res;
	int r = import_run(s, &rd, data, len, &o, &res);
	free(data);
	for (int i = 0; i < res.nmsgs; i++) {
		const struct import_msg *m = &res.msgs[i];
		struct buf b = BUF_INIT;
		buf_adds(&b, path);
		if (m->line)
			buf_addf(&b, ":%d", m->line);
		if (m->column)
			buf_addf(&b, ":%s", m->column);
		buf_addf(&b, ": %s%s", m->warning ? "警告: " : "", m->message);
		/* One message, one line. */
		for (char *p = b.data; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		fprintf(stderr, "%s\n", b.data);
		buf_release(&b);
	}
	int rc = EXIT_OK;
	if (r < 0) {
		rc = store_uncertain(s)
			     ? cli_fail(EXIT_FAIL, "导入结果不确定 (提交时出错: %s),请核对是否已写入",
					store_error(s))
			     : cli_fail(EXIT_FAIL, "导入失败,未写入任何数据: %s", store_error(s));
	} else if (r > 0) {
		rc = cli_fail(EXIT_FAIL, "%s: %d 个错误,未写入任何数据", path, res.errors);
	} else {
		printf("%s%s: %d 行, 新增 %d, 更新 %d, 未变 %d%s\n", dry_run ? "检查通过 (未写入) " : "已导入 ",
		       path, res.rows, res.created, res.updated, res.unchanged,
		       res.warnings ? " (有警告)" : "");
	}
	import_result_release(&res);
	cli_close(s, &rd);
	return rc;
}

static const char export_help[] =
	"用法: zhaoshang export [--format csv|xlsx] [--out FILE] [--keys]\n"
	"                       [--region 区域] [--chain 产业链] [--year Y]\n"
	"导出项目 (按导入表的列顺序,中文表头;--keys 用英文键)。CSV 为带 BOM 的 UTF-8、CRLF 换行,\n"
	"默认写到标准输出;XLSX 需要 --out。导出后再导入不会改变任何数据。\n";

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"keys", no_argument, NULL, 'k'},
		{"region", required_argument, NULL, 'r'},
		{"chain", required_argument, NULL, 'c'},
		{"year", required_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL, *region = NULL, *chain = NULL;
	enum export_format fmt = EXPORT_CSV;
	bool keys = false;
	int year = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				fmt = EXPORT_CSV;
			else if (strcmp(optarg, "xlsx") == 0)
				fmt = EXPORT_XLSX;
			else
				return cli_fail(EXIT_USAGE, "--format 只能是 csv 或 xlsx,不是 \"%s\"", optarg);
			break;
		case 'o': out = optarg; break;
		case 'k': keys = true; break;
		case 'r': region = optarg; break;
		case 'c': chain = optarg; break;
		case 'y':
			if (cli_year_arg("--year", optarg, &year) != 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(export_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "export: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "export: 多余的参数 \"%s\"", argv[optind]);
	if (fmt == EXPORT_XLSX && (!out || strcmp(out, "-") == 0))
		return cli_fail(EXIT_USAGE, "导出 XLSX 需要 --out FILE");
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_FAIL;
	struct buf data = BUF_INIT, err = BUF_INIT, tmp = BUF_INIT;
	struct project_filter f = {.state = -1, .amount_min = -1, .amount_max = -1,
				   .sort = SORT_CODE, .year = year};
	if (region) {
		const struct region *r = refdata_region(&rd, region);
		if (!r) {
			rc = cli_fail(EXIT_USAGE, "--region: 未知的区域 \"%s\"", region);
			goto out;
		}
		if (strcmp(r->level, "county") == 0 || strcmp(r->level, "sub") == 0) {
			f.region_id = r->id;
			f.region_is_county = strcmp(r->level, "county") == 0;
		}
	}
	if (chain) {
		const struct named *ch = refdata_chain(&rd, chain);
		if (!ch) {
			rc = cli_fail(EXIT_USAGE, "--chain: 未知的产业链 \"%s\"", chain);
			goto out;
		}
		f.chain_id = ch->id;
	}
	if (fmt == EXPORT_XLSX) {
		/* Written beside the target and renamed: never half a file. */
		buf_addf(&tmp, "%s.tmp.%ld.xlsx", out, (long)getpid());
		if (export_run(s, &rd, &f, fmt, keys, NULL, tmp.data, &err) != 0) {
			unlink(tmp.data);
			cli_fail(EXIT_FAIL, "导出失败: %s", err.data);
			goto out;
		}
		if (rename(tmp.data, out) != 0) {
			unlink(tmp.data);
			cli_fail(EXIT_FAIL, "无法写入 %s", out);
			goto out;
		}
	} else {
		if (export_run(s, &rd, &f, fmt, keys, &data, NULL, &err) != 0) {
			cli_fail(EXIT_FAIL, "导出失败: %s", err.data);
			goto out;
		}
		if (cli_write_file(out, data.data, data.len) != 0)
			goto out;
	}
	rc = EXIT_OK;
out:
	buf_release(&data);
	buf_release(&err);
	buf_release(&tmp);
	cli_close(s, &rd);
	return rc;
}
