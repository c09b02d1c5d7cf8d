/*
 * cmd_audit: `zhaoshang --user AUDITOR audit list|verify`: the audit trail
 * for the auditor (三员分立: only the auditor role reads it).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "util/json.h"

static const char help[] =
	"用法: zhaoshang --user 审计员 audit <子命令>\n"
	"  verify              校验审计记录的哈希链:发现被修改、删除、插入或调换的记录\n"
	"  list [--entity E] [--key K] [--user-filter U] [--action A] [--limit N] [--json]\n"
	"                      列出审计记录 (新的在前)\n"
	"只有审计员角色可以执行 (三员分立)。\n";

struct list_ctx {
	struct jw w;
	bool json;
};

static int row(void *ctx, const struct audit_row *a)
{
	struct list_ctx *l = ctx;
	if (!l->json) {
		printf("%-6lld %s %-12s %-16s %-20s %s %s %s\n", (long long)a->id, a->at, a->username,
		       a->address ? a->address : "-", a->action, a->entity_key ? a->entity_key : "-",
		       a->old_value ? a->old_value : "", a->new_value ? a->new_value : "");
		return 0;
	}
	struct jw *w = &l->w;
	jw_obj(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "at", a->at);
	jw_kstr(w, "user", a->username);
	jw_kstr(w, "address", a->address);
	jw_kstr(w, "action", a->action);
	jw_kstr(w, "entity", a->entity);
	jw_kstr(w, "key", a->entity_key);
	jw_key(w, "old");
	jw_raw(w, a->old_value);
	jw_key(w, "new");
	jw_raw(w, a->new_value);
	jw_kstr(w, "hash", a->hash);
	jw_obj_end(w);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"entity", required_argument, NULL, 'e'},
		{"key", required_argument, NULL, 'k'},
		{"user-filter", required_argument, NULL, 'u'},
		{"action", required_argument, NULL, 'a'},
		{"limit", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	struct audit_filter f = {.desc = true};
	bool json = false;
	int c;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'e': f.entity = optarg; break;
		case 'k': f.entity_key = optarg; break;
		case 'u': f.username = optarg; break;
		case 'a': f.action = optarg; break;
		case 'l': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1000000)
				return cli_fail(EXIT_USAGE, "--limit 的值 \"%s\" 应为 1 到 1000000 之间的整数",
						optarg);
			f.limit = (int)n;
			break;
		}
		case 'j': json = true; break;
		default: return cli_fail(EXIT_USAGE, "audit: 无效的选项 %s", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_fail(EXIT_USAGE, "audit: 多余的参数 \"%s\"", argv[optind]);
	if (strcmp(sub, "verify") != 0 && strcmp(sub, "list") != 0)
		return cli_fail(EXIT_USAGE, "audit: 未知的子命令 \"%s\" (verify 或 list)", sub);
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	struct principal who;
	int rc = EXIT_OK;
	/* The actor check reads only (the auditor exists already). */
	if (cli_actor(s, PERM_AUDIT, &who) != 0) {
		rc = EXIT_FAIL;
	} else if (strcmp(sub, "verify") == 0) {
		struct audit_check chk;
		if (audit_verify(s, &chk) != 0)
			rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
		else if (chk.why.len)
			rc = cli_fail(EXIT_FAIL, "审计记录链被破坏: %s", buf_cstr(&chk.why));
		else
			printf("审计记录链完整: %lld 条记录\n", (long long)chk.rows);
		buf_release(&chk.why);
	} else {
		struct buf out = BUF_INIT;
		struct list_ctx l = {.json = json};
		jw_init(&l.w, &out);
		if (json)
			jw_arr(&l.w);
		if (store_audit_list(s, &f, row, &l) != 0)
			rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
		if (json && rc == EXIT_OK) {
			jw_arr_end(&l.w);
			printf("%s\n", buf_cstr(&out));
		}
		buf_release(&out);
	}
	cli_close(s, &rd);
	return rc;
}
