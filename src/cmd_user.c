/*
 * cmd_user: `zhaoshang user add|list|disable|enable|reset-password|grant`.
 *
 * There is no default password: the first admin is made here. A password is
 * read from standard input (--password-stdin, one line) or generated and
 * printed once; it never appears on the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "refdata.h"
#include "users.h"
#include "util/json.h"

static const char help[] =
	"用法: zhaoshang [--user NAME] user <子命令> ...\n"
	"  add NAME --role ROLE [--region R] [--chain C] [--name 姓名] [--password-stdin]\n"
	"                      新建用户;不给 --password-stdin 时生成随机密码并只显示这一次\n"
	"  list [--json]       列出用户\n"
	"  disable NAME        停用用户 (其会话随即失效)\n"
	"  enable NAME         启用用户 (并解除锁定)\n"
	"  reset-password NAME [--password-stdin]\n"
	"                      重置密码 (生成或从标准输入读取),解除锁定,结束其会话\n"
	"  grant NAME --role ROLE [--region R] [--chain C]\n"
	"                      改变角色和范围 (下次登录生效)\n"
	"角色: admin 系统管理员, auditor 审计员, bureau 招商局, region 县区专员 (需 --region),\n"
	"chain 产业链专班 (需 --chain), supervisor 督查, leader 领导。\n"
	"需以系统管理员 (或系统账户 cli) 身份执行;每次修改都记入审计。\n";

/* One line of standard input as the password (without its newline). */
static int read_password(char *out, size_t size)
{
	if (!fgets(out, (int)size, stdin)) {
		cli_fail(EXIT_USAGE, "--password-stdin: 标准输入没有密码");
		return -1;
	}
	size_t n = strcspn(out, "\r\n");
	if (out[n] == '\0' && n == size - 1) {
		cli_fail(EXIT_USAGE, "--password-stdin: 密码过长");
		return -1;
	}
	out[n] = '\0';
	return 0;
}

struct list_ctx {
	const struct refdata *rd;
	struct jw w;
	bool json;
};

static int list_row(void *ctx, const struct user *u)
{
	struct list_ctx *l = ctx;
	const struct region *g = u->region_id ? refdata_region_by_id(l->rd, u->region_id) : NULL;
	const char *chain = NULL;
	for (int i = 0; i < l->rd->nchains; i++)
		if (l->rd->chains[i].id == u->chain_id)
			chain = l->rd->chains[i].name;
	const char *scope = g ? g->path : chain;
	if (!l->json) {
		int role = role_find(u->role);
		printf("%-20s %-12s %-24s %-8s %s\n", u->username, role >= 0 ? roles[role].label : u->role,
		       scope ? scope : "全市", u->disabled ? "停用" : u->locked_until ? "锁定?" : "正常",
		       u->display_name ? u->display_name : "");
		return 0;
	}
	struct jw *w = &l->w;
	jw_obj(w);
	jw_kstr(w, "user", u->username);
	jw_kstr(w, "display_name", u->display_name);
	jw_kstr(w, "role", u->role);
	jw_kstr(w, "region", g ? g->path : NULL);
	jw_kstr(w, "chain", chain);
	jw_kbool(w, "disabled", u->disabled);
	jw_kstr(w, "locked_until", u->locked_until);
	jw_kstr(w, "password_changed_at", u->password_changed_at);
	jw_kstr(w, "created_at", u->created_at);
	jw_obj_end(w);
	return 0;
}

static int cmd_list(struct store *s, const struct refdata *rd, bool json)
{
	struct buf out = BUF_INIT;
	struct list_ctx l = {.rd = rd, .json = json};
	jw_init(&l.w, &out);
	if (json)
		jw_arr(&l.w);
	else
		printf("%-20s %-12s %-24s %-8s %s\n", "用户名", "角色", "范围", "状态", "姓名");
	int rc = store_users_list(s, list_row, &l);
	if (json) {
		jw_arr_end(&l.w);
		if (rc == 0)
			printf("%s\n", buf_cstr(&out));
	}
	buf_release(&out);
	return rc == 0 ? EXIT_OK : cli_fail(EXIT_FAIL, "%s", store_error(s));
}

int cmd_user(int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"region", required_argument, NULL, 'g'},
		{"chain", required_argument, NULL, 'c'},
		{"name", required_argument, NULL, 'n'},
		{"password-stdin", no_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	const char *sub = argv[1];
	struct user_spec spec = {0};
	bool from_stdin = false, json = false;
	int c;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': spec.role = optarg; break;
		case 'g': spec.region = optarg; break;
		case 'c': spec.chain = optarg; break;
		case 'n': spec.display_name = optarg; break;
		case 'p': from_stdin = true; break;
		case 'j': json = true; break;
		default: return cli_fail(EXIT_USAGE, "user: 无效的选项 %s", argv[optind - 1]);
		}
	}
	bool needs_name = strcmp(sub, "list") != 0;
	const char *name = optind < argc ? argv[optind] : NULL;
	if (needs_name ? optind + 1 != argc : optind != argc)
		return cli_fail(EXIT_USAGE, needs_name ? "user %s: 需要一个用户名" : "user %s: 多余的参数",
				sub);
	static const char *const subs[] = {"add", "list", "disable", "enable", "reset-password",
					   "grant", NULL};
	bool known = false;
	for (int i = 0; subs[i]; i++)
		known = known || strcmp(sub, subs[i]) == 0;
	if (!known)
		return cli_fail(EXIT_USAGE, "user: 未知的子命令 \"%s\" (运行 zhaoshang user --help)", sub);
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "grant") == 0) && !spec.role)
		return cli_fail(EXIT_USAGE, "user %s: 需要 --role", sub);

	char password[1024] = "";
	bool generated = false;
	if (strcmp(sub, "add") == 0 || strcmp(sub, "reset-password") == 0) {
		if (from_stdin) {
			if (read_password(password, sizeof(password)) != 0)
				return EXIT_USAGE;
		} else {
			password_generate(password);
			generated = true;
		}
	}

	struct store *s;
	struct refdata rd;
	if (cli_open(&s, &rd) != 0)
		return EXIT_FAIL;
	int rc = EXIT_OK;
	if (strcmp(sub, "list") == 0) {
		struct principal who;
		if (store_begin(s) != 0 || cli_actor(s, PERM_USERS, &who) != 0)
			rc = EXIT_FAIL;
		store_rollback(s);
		if (rc == EXIT_OK)
			rc = cmd_list(s, &rd, json);
		cli_close(s, &rd);
		return rc;
	}
	struct auth_config cfg;
	struct principal who;
	struct buf why = BUF_INIT;
	int r = -1;
	if (auth_config_load(s, &cfg) == 0 && store_begin(s) == 0) {
		if (cli_actor(s, PERM_USERS, &who) != 0) {
			store_rollback(s);
			rc = EXIT_FAIL;
			goto out;
		}
		if (strcmp(sub, "add") == 0)
			r = users_add(s, &rd, &cfg, &who, name, &spec, password, &why);
		else if (strcmp(sub, "grant") == 0)
			r = users_grant(s, &rd, &who, name, &spec, &why);
		else if (strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0)
			r = users_set_disabled(s, &who, name, strcmp(sub, "disable") == 0, &why);
		else
			r = users_reset_password(s, &cfg, &who, name, password, &why);
		if (r == 0 && store_commit(s) != 0)
			r = -1;
		if (r != 0)
			store_rollback(s);
	}
	if (r < 0)
		rc = cli_fail(EXIT_FAIL, "%s", store_error(s));
	else if (r > 0)
		rc = cli_fail(EXIT_FAIL, "%s", buf_cstr(&why));
	else if (generated)
		printf("用户 %s 的密码 (只显示这一次,请妥善转交): %s\n", name, password);
	else
		printf("已完成: user %s %s\n", sub, name);
out:
	secret_wipe(password, sizeof(password));
	buf_release(&why);
	cli_close(s, &rd);
	return rc;
}
