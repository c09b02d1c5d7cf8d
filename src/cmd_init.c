/*
 * cmd_init: `zhaoshang init` creates a database with the reference data, and
 * `zhaoshang demo` adds the Xiangyang demo data to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "demo.h"
#include "demo_effort.h"
#include "domain/date.h"
#include "projects.h"
#include "refdata.h"
#include "users.h"
#include "util/xalloc.h"

static const char init_help[] =
	"用法: zhaoshang [--db PATH] init\n"
	"新建数据库 (默认 ./zhaoshang.db),写入襄阳市的基础数据:行政区划、市直部门、\n"
	"产业链、招商方式和 26211 规则。不含项目。数据库已存在时报错。\n";

int cmd_init(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(init_help, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_fail(EXIT_USAGE, "init 不接受参数 \"%s\"", argv[1]);
	struct store *s;
	char *err = NULL;
	if (store_open(cli.db, true, &s, &err) != 0) {
		int rc = cli_fail(EXIT_FAIL, "%s", err);
		free(err);
		return rc;
	}
	int version = 0, rc = EXIT_FAIL;
	store_schema_version(s, &version);
	if (version > 0) {
		rc = cli_fail(EXIT_FAIL, "数据库 %s 已经初始化过", cli.db);
		goto out;
	}
	if (store_migrate(s, NULL) != 0) {
		rc = cli_fail(EXIT_FAIL, "建表失败: %s", store_error(s));
		goto out;
	}
	struct principal who;
	if (store_begin(s) != 0 || refdata_install(s) != 0 || cli_actor(s, PERM_REFDATA_WRITE, &who) != 0 ||
	    audit_append(s, &who, "init", "database", NULL, NULL, NULL) != 0 || store_commit(s) != 0) {
		rc = cli_fail(EXIT_FAIL, "写入基础数据失败: %s", store_error(s));
		store_rollback(s);
		goto out;
	}
	char *shown = store_redact_url(cli.db);
	printf("已创建数据库 %s (襄阳市基础数据)\n", shown);
	free(shown);
	rc = EXIT_OK;
out:
	store_close(s);
	return rc;
}

static const char demo_help[] =
	"用法: zhaoshang [--db PATH] demo\n"
	"向已初始化且没有项目的数据库写入襄阳演示数据 (2022-2023 年签约项目、招商活动),\n"
	"其 2023 年数字与报道一致。详见 docs/demo.md。\n";

/* One user per role, so that a newcomer can log in at once. */
static const struct demo_user_spec {
	const char *username, *role, *region, *chain, *name;
} demo_user_list[] = {
	{"admin", "admin", NULL, NULL, "系统管理员"},
	{"auditor", "auditor", NULL, NULL, "安全审计员"},
	{"zhaoshang", "bureau", NULL, NULL, "市招商局"},
	{"xiangcheng", "region", "襄城区", NULL, "襄城区招商专员"},
	{"xinnengyuan", "chain", NULL, "新能源汽车", "新能源汽车产业链专班"},
	{"ducha", "supervisor", NULL, NULL, "市督查室"},
	{"lingdao", "leader", NULL, NULL, "市领导"},
};

#define COUNT_DEMO_USERS ((int)(sizeof(demo_user_list) / sizeof(demo_user_list[0])))

struct demo_user {
	char password[17];
};

static int demo_users(struct store *s, const struct refdata *rd, const struct auth_config *cfg,
		      const struct principal *who, struct demo_user *made)
{
	for (int i = 0; i < COUNT_DEMO_USERS; i++) {
		const struct demo_user_spec *u = &demo_user_list[i];
		struct user_spec spec = {u->role, u->region, u->chain, u->name};
		struct buf why = BUF_INIT;
		password_generate(made[i].password);
		int rc = users_add(s, rd, cfg, who, u->username, &spec, made[i].password, &why);
		if (rc > 0)
			cli_fail(EXIT_FAIL, "演示用户 %s: %s", u->username, buf_cstr(&why));
		else if (rc < 0)
			cli_fail(EXIT_FAIL, "%s", store_error(s));
		buf_release(&why);
		if (rc != 0)
			return -1;
	}
	return 0;
}

struct demo_ctx {
	struct store *s;
	struct apply_ctx ac;
	int rows, line;
	int failed;
};

static void demo_report(void *ctx, int col, const char *msg)
{
	struct demo_ctx *d = ctx;
	cli_fail(EXIT_FAIL, "演示数据第 %d 行 %s: %s", d->line, ix_columns[col].key, msg);
	d->failed++;
}

static int demo_event(void *ctx, const struct demo_event *e)
{
	struct demo_ctx *d = ctx;
	int64_t id;
	if (store_event_ensure(d->s, e->name, e->type, e->city, e->held_on, &id, NULL) != 0) {
		cli_fail(EXIT_FAIL, "写入活动失败: %s", store_error(d->s));
		return -1;
	}
	return 0;
}

static int demo_row(void *ctx, const char *const cells[IX__COUNT])
{
	struct demo_ctx *d = ctx;
	struct project_input in;
	for (int i = 0; i < IX__COUNT; i++)
		in.val[i] = cells[i];
	d->line++;
	enum apply_result r = projects_apply(&d->ac, APPLY_CREATE, &in, NULL);
	if (r == APPLY_CREATED) {
		d->rows++;
		return 0;
	}
	if (r == APPLY_ERROR)
		cli_fail(EXIT_FAIL, "写入项目失败: %s", store_error(d->s));
	else if (r == APPLY_CONFLICT)
		cli_fail(EXIT_FAIL, "演示项目 %s 已存在", cells[IX_CODE]);
	return -1;
}

int cmd_demo(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(demo_help, stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_fail(EXIT_USAGE, "demo 不接受参数 \"%s\"", argv[1]);
	int32_t today, last;
	if (cli_today(&today) != 0)
		return EXIT_USAGE;
	date_parse_iso(DEMO_LAST_DATE, &last);
	if (today < last)
		return cli_fail(EXIT_FAIL, "演示数据的日期延续到 %s,今天 (ZHAOSHANG_NOW) 不能早于它",
				DEMO_LAST_DATE);
	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_FAIL;
	int64_t n;
	if (store_project_count(s, &n) != 0) {
		cli_fail(EXIT_FAIL, "%s", store_error(s));
		goto out;
	}
	if (n > 0) {
		cli_fail(EXIT_FAIL, "数据库 %s 已有 %lld 个项目,演示数据只能写入空库", cli.db, (long long)n);
		goto out;
	}
	char now[21];
	projects_utc_now(now);
	struct demo_ctx d = {.s = s};
	struct principal who;
	struct auth_config cfg;
	struct demo_user made[COUNT_DEMO_USERS];
	if (auth_config_load(s, &cfg) != 0 || store_begin(s) != 0) {
		cli_fail(EXIT_FAIL, "%s", store_error(s));
		goto out;
	}
	if (cli_actor(s, PERM_PROJECT_WRITE, &who) != 0) {
		store_rollback(s);
		goto out;
	}
	/* The demo's amounts are the article's figures: no confirmation. */
	d.ac = (struct apply_ctx){.store = s, .rd = &rd, .today = today, .now = now,
				  .report = demo_report, .report_ctx = &d, .who = &who,
				  .defer_amounts = true};
	if (demo_generate(demo_event, demo_row, &d) != 0 ||
	    demo_effort(s, &rd, &who, now) != 0 ||
	    demo_users(s, &rd, &cfg, &who, made) != 0 || store_commit(s) != 0) {
		cli_fail(EXIT_FAIL, "演示数据未写入: %s", store_error(s));
		store_rollback(s);
		goto out;
	}
	printf("已写入演示数据: %d 个项目\n\n", d.rows);
	printf("演示用户 (每个角色一个;密码随机生成,只显示这一次):\n");
	for (int i = 0; i < COUNT_DEMO_USERS; i++) {
		printf("  %-12s %s  %s %s\n", demo_user_list[i].username, made[i].password,
		       roles[role_find(demo_user_list[i].role)].label,
		       demo_user_list[i].region ? demo_user_list[i].region
						: demo_user_list[i].chain ? demo_user_list[i].chain : "");
		secret_wipe(made[i].password, sizeof(made[i].password));
	}
	rc = EXIT_OK;
out:
	cli_close(s, &rd);
	return rc;
}
