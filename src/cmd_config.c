/*
 * cmd_config: `zhaoshang config list|get|set`: the security settings (the
 * meta keys auth.*), each with its range; a change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"

static const char help[] =
	"用法: zhaoshang [--user 管理员] config <子命令>\n"
	"  list                列出设置 (安全策略、考核权重) 及其当前值\n"
	"  get KEY             显示一项设置\n"
	"  set KEY VALUE       修改一项设置 (需系统管理员;记入审计)\n";

static const struct auth_key *find_key(const char *k)
{
	for (int i = 0; i < auth_nkeys; i++)
		if (strcmp(auth_keys[i].key, k) == 0)
			return &auth_keys[i];
	return NULL;
}

int cmd_config(int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	int want = strcmp(sub, "list") == 0 ? 2 : strcmp(sub, "get") == 0 ? 3 : strcmp(sub, "set") == 0 ? 4 : 0;
	if (!want)
		return cli_fail(EXIT_USAGE, "config: 未知的子命令 \"%s\" (list、get 或 set)", sub);
	if (argc != want)
		return cli_fail(EXIT_USAGE, "config %s: 参数个数不对 (运行 zhaoshang config --help)", sub);
	const struct auth_key *k = want > 2 ? find_key(argv[2]) : NULL;
	if (want > 2 && !k)
		return cli_fail(EXIT_USAGE, "config: 未知的设置 \"%s\" (运行 zhaoshang config list)", argv[2]);
	long value = 0;
	if (want == 4) {
		char *end;
		value = strtol(argv[3], &end, 10);
		if (*end || end == argv[3] || value < k->min || value > k->max)
			return cli_fail(EXIT_USAGE, "%s 的值 \"%s\" 应为 %d 到 %d 之间的整数", k->key,
					argv[3], k->min, k->max);
	}
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	if (want < 4) {
		for (int i = 0; i < auth_nkeys; i++) {
			if (k && k != &auth_keys[i])
				continue;
			char *v = NULL;
			if (store_meta_get(s, auth_keys[i].key, &v) != 0) {
				rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
				break;
			}
			/* The effective value: the default when unset. */
			char def[16];
			snprintf(def, sizeof(def), "%d", auth_keys[i].def);
			if (k)
				printf("%s\n", v ? v : def);
			else
				printf("%-28s %-6s %s (默认 %d)\n", auth_keys[i].key, v ? v : def,
				       auth_keys[i].label, auth_keys[i].def);
			free(v);
		}
		cli_close(s, &rd);
		return rc;
	}
	struct principal who;
	char *old = NULL, val[24], oldj[64], newj[64];
	snprintf(val, sizeof(val), "%ld", value);
	if (store_begin(s) != 0 || cli_actor(s, PERM_REFDATA_WRITE, &who) != 0 ||
	    store_meta_get(s, k->key, &old) != 0) {
		rc = EXIT_FAIL;
	} else {
		snprintf(oldj, sizeof(oldj), "{\"value\":\"%s\"}", old ? old : "");
		snprintf(newj, sizeof(newj), "{\"value\":\"%s\"}", val);
		if (store_meta_set(s, k->key, val) != 0 ||
		    audit_append(s, &who, "config.set", "config", k->key, oldj, newj) != 0 ||
		    store_commit(s) != 0)
			rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
		else
			printf("%s = %s\n", k->key, val);
	}
	if (rc != EXIT_OK)
		store_rollback(s);
	free(old);
	cli_close(s, &rd);
	return rc;
}
