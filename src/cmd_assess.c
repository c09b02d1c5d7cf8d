/*
 * cmd_assess: `zhaoshang assess --month YYYY-MM [--json] [--recompute]
 * [--publish]`: the monthly assessment of the assessed county-level units.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assess_store.h"
#include "cli.h"
#include "bulletin.h"
#include "problems.h"
#include "reminders.h"

static const char help[] =
	"用法: zhaoshang [--user 督查] assess --month YYYY-MM [--json] [--recompute] [--publish]\n"
	"月度督办考核:对各参评县市区 (鱼梁洲除外) 按 7 项指标打分、排名,末三位通报批评、约谈。\n"
	"已结束的月份以次月 1 日为评价日,本月以今天为评价日;尚未开始的月份报错。\n"
	"  --json        输出 JSON (已发布的月份输出发布时的快照)\n"
	"  --recompute   已发布的月份:按当前数据重算,列出与快照的差异\n"
	"  --publish     发布 (冻结) 该月结果 (需督查角色;只能发布一次)\n";

int cmd_assess(int argc, char **argv)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"recompute", no_argument, NULL, 'r'},
		{"publish", no_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *month = NULL;
	bool json = false, recompute = false, publish = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'j': json = true; break;
		case 'r': recompute = true; break;
		case 'p': publish = true; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "assess: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "assess: 多余的参数 \"%s\"", argv[optind]);
	int y, m;
	if (!month || assess_month_parse(month, &y, &m) != 0)
		return cli_fail(EXIT_USAGE, "assess: 需要 --month YYYY-MM (如 2023-06)");
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	struct buf out = BUF_INIT, why = BUF_INIT;
	int rc = EXIT_OK, r;
	if (publish) {
		struct principal who;
		if (cli_actor(s, PERM_ASSESS, &who) != 0) {
			rc = EXIT_FAIL;
			goto done;
		}
		r = assessment_publish(s, &rd, y, m, today, &who, &why);
		if (r == 0)
			printf("已发布 %s 的考核结果\n", month);
	} else {
		r = assessment_answer(s, &rd, y, m, today, recompute, json, &out, &why);
		if (r == 0) {
			if (json)
				buf_addc(&out, '\n');
			if (cli_write_file(NULL, out.data, out.len) != 0)
				rc = EXIT_FAIL;
		}
	}
	if (r < 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else if (r > 0)
		rc = cli_fail(EXIT_FAIL, "%s", buf_cstr(&why));
done:
	buf_release(&out);
	buf_release(&why);
	cli_close(s, &rd);
	return rc;
}

static const char escalate_help[] =
	"用法: zhaoshang escalate\n"
	"把逾期未解决的问题逐级升级 (县级 → 市直部门 → 市领导 → 省级),每次给出新期限并记入办理记录。\n"
	"服务在每次读取问题前也会执行;可由 cron 每天运行。\n";

int cmd_escalate(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(escalate_help, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_fail(EXIT_USAGE, "escalate 不接受参数 \"%s\"", argv[1]);
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int n = problems_escalate(s, today);
	int rc = EXIT_OK;
	if (n < 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else
		printf("升级了 %d 级次\n", n);
	cli_close(s, &rd);
	return rc;
}

static const char remind_help[] =
	"用法: zhaoshang remind\n"
	"发送提醒:逾期问题先升级;即将到期和已逾期的 26211 事项、升级的问题进入相关县区专员和\n"
	"责任人的站内提醒,并推送到配置的企业微信/钉钉机器人、webhook 与邮件 (每项每个状态只发一次);\n"
	"失败的推送按间隔重试。服务运行时也会定时执行。\n";

int cmd_remind(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(remind_help, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_fail(EXIT_USAGE, "remind 不接受参数 \"%s\"", argv[1]);
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	struct remind_stats st;
	int rc = EXIT_OK;
	if (reminders_run(s, &rd, today, &st) != 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else
		printf("提醒事项 %d 项;推送成功 %d,失败 %d\n", st.items, st.sent, st.failed);
	cli_close(s, &rd);
	return rc;
}

static const char bulletin_help[] =
	"用法: zhaoshang bulletin --month YYYY-MM [--xlsx FILE]\n"
	"      zhaoshang briefing --year Y [--json]\n"
	"bulletin: 该月的督办通报 (通报正文、排名表、各地情况;已发布的月份按发布时的快照);\n"
	"          --xlsx 写出 Excel 文件 (文件已存在时报错)。\n"
	"briefing: 该年招商引资工作情况 (主要指标与工作量,均由记录生成)。\n";

int cmd_bulletin(int argc, char **argv)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'},
		{"year", required_argument, NULL, 'y'},
		{"xlsx", required_argument, NULL, 'x'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool briefing = strcmp(argv[0], "briefing") == 0, json = false;
	const char *month = NULL, *xlsx = NULL;
	int year = 0, c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'y':
			if (cli_year_arg("--year", optarg, &year) != 0)
				return EXIT_USAGE;
			break;
		case 'x': xlsx = optarg; break;
		case 'j': json = true; break;
		case 'h': fputs(bulletin_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "%s: 无效的选项 %s", argv[0], argv[optind - 1]);
		}
	}
	int y = 0, m = 0;
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "%s: 多余的参数 \"%s\"", argv[0], argv[optind]);
	if (briefing ? !year : !month || assess_month_parse(month, &y, &m) != 0)
		return cli_fail(EXIT_USAGE, briefing ? "briefing: 需要 --year Y" : "bulletin: 需要 --month YYYY-MM");
	if (xlsx && access(xlsx, F_OK) == 0)
		return cli_fail(EXIT_FAIL, "文件 %s 已存在", xlsx);
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	struct buf out = BUF_INIT, why = BUF_INIT;
	int r = briefing ? briefing_build(s, &rd, year, today, json, &out)
			 : bulletin_build(s, &rd, y, m, today, xlsx ? BULLETIN_XLSX : BULLETIN_TEXT, &out,
					  xlsx, &why);
	int rc = EXIT_OK;
	if (r < 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else if (r > 0)
		rc = cli_fail(EXIT_FAIL, "%s", buf_cstr(&why));
	else if (xlsx)
		printf("已写出 %s\n", xlsx);
	else if (cli_write_file(NULL, out.data, out.len) != 0)
		rc = EXIT_FAIL;
	buf_release(&out);
	buf_release(&why);
	cli_close(s, &rd);
	return rc;
}
