/*
 * cmd_config: `zhaoshang config list|get|set`: the settings kept in meta
 * (auth_keys: integers with their ranges; and the e-mail server of the
 * reminders, text); a change is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "util/json.h"

/* Settings that are text. */
static const struct {
	const char *key, *label;
} text_keys[] = {
	{"smtp.url", "提醒邮件的 SMTP 服务器 (smtp:// 或 smtps://,可含用户名与密码)"},
	{"smtp.from", "提醒邮件的发件人地址"},
};
#define NTEXT ((int)(sizeof(text_keys) / sizeof(text_keys[0])))

static int find_text(const char *k)
{
	for (int i = 0; i < NTEXT; i++)
		if (strcmp(text_keys[i].key, k) == 0)
			return i;
	return -1;
}

/* A text setting's value as it may be kept: 0, or -1 after saying why. */
static int text_ok(int t, const char *v)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == ' ')
			return cli_fail(EXIT_USAGE, "%s 的值不能含空格或控制字符", text_keys[t].key);
	if (t == 0 && strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0)
		return cli_fail(EXIT_USAGE, "smtp.url 应以 smtp:// 或 smtps:// 开头 (如 smtp://mail.example.gov.cn:25)");
	if (t == 1 && (!strchr(v, '@') || strchr(v, '@') == v || !strchr(v, '@')[1]))
		return cli_fail(EXIT_USAGE, "smtp.from 应为邮件地址 (如 zhaoshang@example.gov.cn)");
	return 0;
}

/* What is shown of a text value: a password in an URL is masked. */
static char *shown(int t, const char *v)
{
	return t == 0 ? store_redact_url(v) : strdup(v);
}

static const char help[] =
	"用法: zhaoshang [--user 管理员] config <子命令>\n"
	"  list                列出设置 (安全策略、考核权重、统计口径、提醒邮件服务器) 及其当前值\n"
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
	int t = want > 2 && !k ? find_text(argv[2]) : -1;
	if (want > 2 && !k && t < 0)
		return cli_fail(EXIT_USAGE, "config: 未知的设置 \"%s\" (运行 zhaoshang config list)", argv[2]);
	if (want == 4 && t >= 0 && text_ok(t, argv[3]) != 0)
		return EXIT_USAGE;
	long value = 0;
	if (want == 4 && k) {
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
		for (int i = 0; i < NTEXT && !k; i++) {
			if (t >= 0 && t != i)
				continue;
			char *v = NULL;
			if (store_meta_get(s, text_keys[i].key, &v) != 0) {
				rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
				break;
			}
			char *x = v ? shown(i, v) : NULL;
			if (t >= 0)
				printf("%s\n", x ? x : "");
			else
				printf("%-28s %-6s %s\n", text_keys[i].key, x ? x : "(未设)", text_keys[i].label);
			free(x);
			free(v);
		}
		for (int i = 0; i < auth_nkeys && t < 0; i++) {
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
	const char *key = k ? k->key : text_keys[t].key;
	char *old = NULL, num[24];
	snprintf(num, sizeof(num), "%ld", value);
	const char *val = k ? num : argv[3];
	struct buf oldj = BUF_INIT, newj = BUF_INIT;
	if (store_begin(s) != 0 || cli_actor(s, PERM_REFDATA_WRITE, &who) != 0 ||
	    store_meta_get(s, key, &old) != 0) {
		rc = EXIT_FAIL;
	} else {
		/* The trail keeps what is shown: no password of an URL. */
		char *o = old ? (k ? strdup(old) : shown(t, old)) : NULL, *n = k ? strdup(val) : shown(t, val);
		struct jw w;
		jw_init(&w, &oldj);
		jw_obj(&w);
		jw_kstr(&w, "value", o ? o : "");
		jw_obj_end(&w);
		jw_init(&w, &newj);
		jw_obj(&w);
		jw_kstr(&w, "value", n);
		jw_obj_end(&w);
		if (store_meta_set(s, key, val) != 0 ||
		    audit_append(s, &who, "config.set", "config", key, buf_cstr(&oldj), buf_cstr(&newj)) != 0 ||
		    store_commit(s) != 0)
			rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
		else
			printf("%s = %s\n", key, n);
		free(o);
		free(n);
	}
	if (rc != EXIT_OK)
		store_rollback(s);
	buf_release(&oldj);
	buf_release(&newj);
	free(old);
	cli_close(s, &rd);
	return rc;
}
