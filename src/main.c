/*
 * main: the zhaoshang command and its subcommand table.
 *
 * `zhaoshang [--db URL] COMMAND [options]`; --db may also follow the
 * command. Each subcommand is cmd_<name>() in src/cmd_<name>.c and prints its
 * own --help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"init", cmd_init, "新建数据库并写入襄阳基础数据 (create a database with the reference data)"},
	{"demo", cmd_demo, "写入演示数据 (add the demo data)"},
	{"serve", cmd_serve, "启动 HTTP 服务 (serve the JSON API)"},
	{"import", cmd_import, "从 CSV/XLSX 导入项目 (import projects)"},
	{"export", cmd_export, "导出项目为 CSV/XLSX (export projects)"},
	{"warnings", cmd_warnings, "26211 提醒预警 (deadline warnings)"},
	{"report", cmd_report, "统计报表 (figures)"},
	{"backup", cmd_backup, "在线备份数据库 (online backup)"},
	{"restore", cmd_restore, "从备份恢复数据库 (restore a backup)"},
	{"assess", cmd_assess, "月度督办考核 (monthly assessment: ranking, publish)"},
	{"bulletin", cmd_bulletin, "督办通报 (the month's bulletin; --xlsx)"},
	{"briefing", cmd_bulletin, "年度招商工作情况 (the year's briefing)"},
	{"remind", cmd_remind, "发送提醒 (reminders: inbox, WeCom/DingTalk robots, webhooks, e-mail)"},
	{"duplicates", cmd_duplicates, "疑似重复项目 (suspected duplicate projects; --json, --scan)"},
	{"escalate", cmd_escalate, "逾期问题自动升级 (escalate overdue problems)"},
	{"user", cmd_user, "用户管理 (users: add, list, disable, enable, reset-password, grant)"},
	{"audit", cmd_audit, "审计记录 (the audit trail: list, verify; auditors only)"},
	{"config", cmd_config, "设置:安全策略与考核权重 (settings: list, get, set)"},
	{"migrate-data", cmd_migrate_data, "把整个库复制到另一个数据库 (copy a deployment, e.g. to PostgreSQL)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "用法 (usage): zhaoshang [--db PATH|sqlite:PATH|postgresql://...] [--user NAME] <命令> [选项]\n\n命令:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n每个命令都支持 --help。环境变量 ZHAOSHANG_NOW 可设定“今天”(YYYY-MM-DD);\n"
		   "ZHAOSHANG_DB 是 --db 的默认值 (否则为 ./zhaoshang.db)。\n"
		   "修改数据的命令以 --user 指定的用户身份执行并记入审计 (默认系统账户 cli)。\n");
}

int main(int argc, char **argv)
{
	/* Take --db and --user out of argv wherever they stand (before a lone "--");
	 * without it, ZHAOSHANG_DB (a deployment's configuration) or the
	 * default. */
	const char *env_db = getenv("ZHAOSHANG_DB");
	if (env_db && *env_db)
		cli.db = env_db;
	int n = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= argc)
				return cli_fail(EXIT_USAGE, "--db 需要一个数据库路径");
			cli.db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli.db = argv[i] + 5;
		} else if (strcmp(argv[i], "--user") == 0) {
			if (i + 1 >= argc)
				return cli_fail(EXIT_USAGE, "--user 需要一个用户名");
			cli.user = argv[++i];
		} else if (strncmp(argv[i], "--user=", 7) == 0) {
			cli.user = argv[i] + 7;
		} else {
			argv[n++] = argv[i];
		}
	}
	argc = n;
	argv[argc] = NULL;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("zhaoshang %s\n", ZS_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	return cli_fail(EXIT_USAGE, "未知命令 \"%s\" (运行 zhaoshang --help 查看命令)", argv[1]);
}
