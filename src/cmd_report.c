/*
 * cmd_report: `zhaoshang report headline` and `zhaoshang warnings`, the
 * figures of DOMAIN.md as text or as the JSON contracts of issue #2.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "domain/date.h"
#include "domain/interchange.h"
#include "report.h"
#include "util/buf.h"

static const char report_help[] =
	"用法: zhaoshang report headline  [--year Y] [--as-of YYYY-MM-DD] [--json]\n"
	"      zhaoshang report breakdown --by region|chain|channel|event|month|province\n"
	"                                 [--year Y] [--as-of YYYY-MM-DD] [--json]\n"
	"      zhaoshang report origins   [--province P] [--year Y] [--as-of YYYY-MM-DD] [--json]\n"
	"      zhaoshang report effort    [--year Y] [--json]\n"
	"headline: Y 年的主要指标:亿元以上省外投资项目 (个数、合同投资额、已开工、落地转化率)、\n"
	"平台活动签约、亿元以上外向型项目,以及按县市区的分解。\n"
	"breakdown: 亿元以上省外投资项目按县市区、产业链、招商方式、签约活动、月份或投资方省份分解。\n"
	"origins: 当年全部签约项目的投资方来源 (各省;给出 --province 时为该省各城市)。\n"
	"effort: 当年招商工作量:领导外出招商与拜访企业、驻点招商、招商活动、专题招商。\n"
	"截止日期默认今天,年份默认截止日期所在年;截止日期不能早于该年 1 月 1 日。\n";

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{"year", required_argument, NULL, 'y'},
		{"as-of", required_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{"by", required_argument, NULL, 'b'},
		{"province", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int year = 0, c, by = -1;
	bool json = false, have_as_of = false;
	int32_t as_of;
	opterr = 0;
	optind = 1;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(report_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	bool breakdown = strcmp(argv[1], "breakdown") == 0, origins = strcmp(argv[1], "origins") == 0;
	bool effort = strcmp(argv[1], "effort") == 0;
	const char *province = NULL;
	if (strcmp(argv[1], "headline") != 0 && !breakdown && !origins && !effort)
		return cli_fail(EXIT_USAGE, "未知的报表 \"%s\" (可用: headline、breakdown、origins、effort)",
				argv[1]);
	argc--, argv++;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'y':
			if (cli_year_arg("--year", optarg, &year) != 0)
				return EXIT_USAGE;
			break;
		case 'a':
			if (cli_date_arg("--as-of", optarg, &as_of) != 0)
				return EXIT_USAGE;
			have_as_of = true;
			break;
		case 'j': json = true; break;
		case 'b':
			by = report_breakdown_find(optarg);
			if (by < 0 || !breakdown)
				return cli_fail(EXIT_USAGE, "--by 只用于 breakdown,可选: %s",
						report_breakdown_names);
			break;
		case 'p':
			province = ix_province(optarg);
			if (!province || !origins)
				return cli_fail(EXIT_USAGE, "--province 只用于 origins,且须为省份名 (\"%s\")",
						optarg);
			break;
		case 'h': fputs(report_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "report: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "report: 多余的参数 \"%s\"", argv[optind]);
	if (breakdown && by < 0)
		return cli_fail(EXIT_USAGE, "breakdown 需要 --by (%s)", report_breakdown_names);
	if (!have_as_of && cli_today(&as_of) != 0)
		return EXIT_USAGE;
	if (!year) {
		int m, d;
		date_to_ymd(as_of, &year, &m, &d);
	}
	struct buf out = BUF_INIT;
	if (report_headline_check(year, as_of, &out) != 0) {
		int rc = cli_fail(EXIT_USAGE, "%s", out.data);
		buf_release(&out);
		return rc;
	}
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	if ((breakdown ? report_breakdown(s, &rd, by, year, as_of, json, &out)
	     : origins ? report_origins(s, &rd, year, as_of, ORIGIN_SIGNED, province, json, &out)
	     : effort  ? report_effort(s, &rd, year, json, &out)
		       : report_headline(s, &rd, year, as_of, json, &out)) != 0) {
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	} else {
		if (json)
			buf_addc(&out, '\n');
		if (cli_write_file(NULL, out.data, out.len) != 0)
			rc = EXIT_FAIL;
	}
	buf_release(&out);
	cli_close(s, &rd);
	return rc;
}

static const char warnings_help[] =
	"用法: zhaoshang warnings [--as-of YYYY-MM-DD] [--json] [--all]\n"
	"26211 提醒预警:截至某日 (默认今天) 即将到期 (due_soon) 和已逾期 (overdue) 的事项,\n"
	"按到期日、项目编号、规则排序。--all 列出所有状态 (exempt、done、late_done、pending 也列出)。\n";

int cmd_warnings(int argc, char **argv)
{
	static const struct option opts[] = {
		{"as-of", required_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{"all", no_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool json = false, all = false, have_as_of = false;
	int32_t as_of;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (cli_date_arg("--as-of", optarg, &as_of) != 0)
				return EXIT_USAGE;
			have_as_of = true;
			break;
		case 'j': json = true; break;
		case 'A': all = true; break;
		case 'h': fputs(warnings_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "warnings: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "warnings: 多余的参数 \"%s\"", argv[optind]);
	if (!have_as_of && cli_today(&as_of) != 0)
		return EXIT_USAGE;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	struct buf out = BUF_INIT;
	int rc = EXIT_OK;
	if (report_warnings(s, &rd, as_of, all, json, NULL, &out) != 0) {
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	} else {
		if (json)
			buf_addc(&out, '\n');
		if (cli_write_file(NULL, out.data, out.len) != 0)
			rc = EXIT_FAIL;
	}
	buf_release(&out);
	cli_close(s, &rd);
	return rc;
}
