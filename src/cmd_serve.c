/*
 * cmd_serve: `zhaoshang serve` runs the HTTP server on the database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evidence.h"
#include "http/server.h"
#include "util/xalloc.h"

static const char help[] =
	"用法: zhaoshang [--db PATH|URL] serve [--listen ADDR:PORT] [--threads N]\n"
	"启动 HTTP 服务 (JSON 接口在 /api/ 下),默认监听 127.0.0.1:8080。\n"
	"IPv6 地址写作 [::1]:8080;端口 0 表示由系统分配 (启动时打印实际端口)。\n"
	"  --threads N          工作线程数 (默认 2);每个线程一个数据库连接,即连接池大小\n"
	"  --per-ip-limit N     每个客户端地址的最大连接数 (默认 64)\n"
	"  --timeout SECONDS    空闲连接超时 (默认 30)\n"
	"  --trusted-proxy LIST 可信反向代理的地址 (逗号分隔,默认取环境变量\n"
	"                       ZHAOSHANG_TRUSTED_PROXIES):只有来自这些地址的请求,其\n"
	"                       X-Forwarded-For / X-Forwarded-Proto 才被采信\n"
	"  --evidence-dir DIR   证据文件 (营业执照、施工许可、照片) 的目录 (默认取环境变量\n"
	"                       ZHAOSHANG_EVIDENCE_DIR;SQLite 数据库默认为 数据库路径.evidence;\n"
	"                       多台服务器共用 PostgreSQL 时须为共享存储)\n"
	"  --remind-interval S  每隔 S 秒发送一次提醒 (默认 3600,首次在启动 1 分钟后;0 为不发送)\n"
	"  --orphan-age S       启动时清理超过 S 秒、没有记录的证据文件 (默认 600)\n";

/* Splits "ADDR:PORT" or "[V6]:PORT". */
static int parse_listen(const char *s, char *host, size_t hostlen, unsigned *port)
{
	const char *colon;
	const char *h = s;
	size_t hl;
	if (*s == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return -1;
		h = s + 1;
		hl = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

static int parse_uint(const char *opt, const char *v, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || end == v || n < (long)min || n > (long)max) {
		cli_fail(EXIT_USAGE, "%s 的值 \"%s\" 应为 %u 到 %u 之间的整数", opt, v, min, max);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"per-ip-limit", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 'T'},
		{"trusted-proxy", required_argument, NULL, 'P'},
		{"evidence-dir", required_argument, NULL, 'E'},
		{"remind-interval", required_argument, NULL, 'R'},
		{"orphan-age", required_argument, NULL, 'O'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char host[64] = "127.0.0.1";
	unsigned port = 8080, threads = 2, per_ip = 64, timeout = 30;
	const char *proxies = getenv("ZHAOSHANG_TRUSTED_PROXIES");
	const char *evidence = getenv("ZHAOSHANG_EVIDENCE_DIR");
	char *evidence_default = NULL;
	unsigned remind = 3600, orphan_age = 600;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, host, sizeof(host), &port) != 0)
				return cli_fail(EXIT_USAGE, "--listen 的值 \"%s\" 应为 ADDR:PORT", optarg);
			break;
		case 't':
			if (parse_uint("--threads", optarg, 1, 64, &threads) != 0)
				return EXIT_USAGE;
			break;
		case 'p':
			if (parse_uint("--per-ip-limit", optarg, 1, 100000, &per_ip) != 0)
				return EXIT_USAGE;
			break;
		case 'T':
			if (parse_uint("--timeout", optarg, 1, 3600, &timeout) != 0)
				return EXIT_USAGE;
			break;
		case 'P': proxies = optarg; break;
		case 'E': evidence = optarg; break;
		case 'O':
			if (parse_uint("--orphan-age", optarg, 0, 86400 * 30, &orphan_age) != 0)
				return EXIT_USAGE;
			break;
		case 'R':
			if (parse_uint("--remind-interval", optarg, 0, 86400 * 7, &remind) != 0)
				return EXIT_USAGE;
			break;
		case 'h': fputs(help, stdout); return EXIT_OK;
		default: return cli_fail(EXIT_USAGE, "serve: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_fail(EXIT_USAGE, "serve: 多余的参数 \"%s\"", argv[optind]);
	int32_t today;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	/* Check the database (and migrate it) before listening. */
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	if ((!evidence || !*evidence) && strcmp(store_backend(s), "sqlite") == 0) {
		const char *path = strncmp(cli.db, "sqlite:", 7) == 0 ? cli.db + 7 : cli.db;
		evidence = evidence_default = xstrfmt("%s.evidence", path);
	}
	if (evidence && !*evidence)
		evidence = NULL;
	/* Files left by uploads that never committed (a crash between the file
	 * and its row). Younger ones may be in flight on another server. */
	int removed = evidence ? evidence_collect(s, evidence, orphan_age) : 0;
	if (removed > 0)
		fprintf(stderr, "zhaoshang: 清理了 %d 个没有记录的证据文件\n", removed);
	cli_close(s, &rd);
	if (removed < 0) {
		free(evidence_default);
		return cli_fail(EXIT_FAIL, "清理证据文件失败");
	}
	struct server_opts o = {cli.db, host, (uint16_t)port, threads, per_ip, timeout, proxies,
				evidence, remind};
	int rc = server_run(&o) == 0 ? EXIT_OK : EXIT_FAIL;
	free(evidence_default);
	return rc;
}
