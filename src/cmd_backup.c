/*
 * cmd_backup: `zhaoshang backup` copies the live database with the backend's
 * online backup (the server may keep running).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <getopt.h>

#include <stdlib.h>

#include "cli.h"

static const char help[] =
	"用法: zhaoshang [--db PATH] backup [--out FILE]\n"
	"在线备份数据库到 FILE (默认 zhaoshang-backup-YYYYMMDD-HHMMSS.db),服务无需停止。\n"
	"目标文件已存在时报错。\n";

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	char name[64];
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "backup: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "backup: 多余的参数 \"%s\"", argv[optind]);
	if (!out) {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(name, sizeof(name), "zhaoshang-backup-%Y%m%d-%H%M%S.db", &tm);
		out = name;
	}
	struct stat st;
	if (stat(out, &st) == 0)
		return cli_fail(EXIT_FAIL, "备份文件 %s 已存在", out);
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	if (store_backup(s, out) != 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else
		printf("已备份到 %s\n", out);
	cli_close(s, &rd);
	return rc;
}

static const char restore_help[] =
	"用法: zhaoshang [--db PATH] restore --from BACKUP [--force]\n"
	"用备份文件替换整个数据库:先检查备份完整 (integrity_check),再整体写入;\n"
	"数据库已有数据时须给出 --force。恢复后核对项目数与主要指标。\n";

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"force", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL;
	bool force = false;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 'F': force = true; break;
		case 'h': fputs(restore_help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "restore: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc || !from)
		return cli_fail(EXIT_USAGE, "restore: 需要 --from BACKUP");
	struct stat st;
	if (stat(from, &st) != 0)
		return cli_fail(EXIT_FAIL, "备份文件 %s 不存在", from);
	struct store *s;
	char *err = NULL;
	if (store_open(cli.db, true, &s, &err) != 0) {
		int rc = cli_fail(EXIT_FAIL, "%s", err);
		free(err);
		return rc;
	}
	int version = 0, rc = EXIT_OK;
	int64_t n = 0;
	store_schema_version(s, &version);
	if (version > 0 && store_project_count(s, &n) == 0 && n > 0 && !force) {
		rc = cli_fail(EXIT_FAIL, "数据库 %s 已有 %lld 个项目;确认要用备份替换时加 --force", cli.db,
			      (long long)n);
	} else if (store_restore(s, from) != 0) {
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	} else if (store_project_count(s, &n) != 0) {
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	} else {
		printf("已从 %s 恢复 %s: %lld 个项目\n", from, cli.db, (long long)n);
	}
	store_close(s);
	return rc;
}
