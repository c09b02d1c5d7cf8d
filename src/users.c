/*
 * users: account changes with their checks and audit rows (see users.h).
 */
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "refdata.h"
#include "util/json.h"
#include "util/xalloc.h"

static bool username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 2 || n > 32)
		return false;
	for (const char *c = u; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '.' || *c == '-'))
			return false;
	return true;
}

static void now_text(char out[21])
{
	int64_t now;
	if (date_now_epoch(&now, NULL) != 0)
		now = 0;
	date_format_utc(now, out);
}

/* The audited view of an account: never its password hash. */
static char *user_json(const struct refdata *rd, const struct user *u)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "role", u->role);
	const char *region = NULL, *chain = NULL;
	for (int i = 0; i < rd->nregions; i++)
		if (rd->regions[i].id == u->region_id)
			region = rd->regions[i].path;
	for (int i = 0; i < rd->nchains; i++)
		if (rd->chains[i].id == u->chain_id)
			chain = rd->chains[i].name;
	jw_kstr(&w, "region", region);
	jw_kstr(&w, "chain", chain);
	jw_kstr(&w, "display_name", u->display_name);
	jw_kbool(&w, "disabled", u->disabled);
	jw_obj_end(&w);
	return buf_detach(&b);
}

/* Resolves role and scope of spec into u; 0 or 1 (why). */
static int apply_spec(const struct refdata *rd, const struct user_spec *spec, struct user *u,
		      struct buf *why)
{
	int role = role_find(spec->role);
	if (role < 0 || role == ROLE_SYSTEM) {
		buf_addf(why, "未知的角色 \"%s\" (可选: admin auditor bureau region chain supervisor leader)",
			 spec->role ? spec->role : "");
		return 1;
	}
	u->region_id = 0;
	u->chain_id = 0;
	if (role == ROLE_REGION) {
		const struct region *g = spec->region ? refdata_region(rd, spec->region) : NULL;
		if (!g) {
			buf_addf(why, spec->region ? "未知的区域 \"%s\"" : "县区专员需要指定 --region%s",
				 spec->region ? spec->region : "");
			return 1;
		}
		u->region_id = g->id;
	} else if (spec->region) {
		buf_adds(why, "只有县区专员 (region) 有所属区域");
		return 1;
	}
	if (role == ROLE_CHAIN) {
		const struct named *c = spec->chain ? refdata_chain(rd, spec->chain) : NULL;
		if (!c) {
			buf_addf(why, spec->chain ? "未知的产业链 \"%s\"" : "产业链专班需要指定 --chain%s",
				 spec->chain ? spec->chain : "");
			return 1;
		}
		u->chain_id = c->id;
	} else if (spec->chain) {
		buf_adds(why, "只有产业链专班 (chain) 有所属产业链");
		return 1;
	}
	free(u->role);
	u->role = xstrdup(roles[role].key);
	if (spec->display_name) {
		free(u->display_name);
		u->display_name = xstrdup(spec->display_name);
	}
	return 0;
}

/* Sets a checked new password on u; 0 or 1 (why). */
static int set_password(const struct auth_config *cfg, struct user *u, const char *password,
			struct buf *why)
{
	if (password_check(cfg, password, u->username, why) != 0)
		return 1;
	char hash[128], now[21];
	if (password_hash(password, hash) != 0) {
		buf_adds(why, "无法计算密码哈希");
		return 1;
	}
	now_text(now);
	free(u->password_hash);
	u->password_hash = xstrdup(hash);
	secret_wipe(hash, sizeof(hash));
	free(u->password_changed_at);
	u->password_changed_at = xstrdup(now);
	u->failed_logins = 0;
	free(u->locked_until);
	u->locked_until = NULL;
	return 0;
}

/* Loads the account to change; 0, 1 (why) or -1. */
static int load(struct store *s, const char *username, struct user *u, struct buf *why)
{
	int got = store_user_get(s, username, u);
	if (got == 1)
		buf_addf(why, "没有用户 %s", username);
	else if (got == 0 && strcmp(u->role, "system") == 0) {
		buf_addf(why, "%s 是系统账户,不能修改", username);
		user_release(u);
		got = 1;
	}
	return got;
}

int users_add(struct store *s, const struct refdata *rd, const struct auth_config *cfg,
	      const struct principal *who, const char *username, const struct user_spec *spec,
	      const char *password, struct buf *why)
{
	if (!username_ok(username)) {
		buf_addf(why, "用户名 \"%s\" 无效 (2-32 个字母、数字或 _ . -)", username);
		return 1;
	}
	struct user u;
	int got = store_user_get(s, username, &u);
	if (got <= 0) {
		if (got == 0)
			buf_addf(why, "用户 %s 已存在", username);
		user_release(&u);
		return got == 0 ? 1 : -1;
	}
	memset(&u, 0, sizeof(u));
	char now[21];
	now_text(now);
	u.username = xstrdup(username);
	u.created_at = xstrdup(now);
	int rc = apply_spec(rd, spec, &u, why);
	if (rc == 0)
		rc = set_password(cfg, &u, password, why);
	if (rc == 0) {
		char *j = user_json(rd, &u);
		rc = store_user_save(s, &u) != 0 ||
				     audit_append(s, who, "user.create", "user", username, NULL, j) != 0
			     ? -1
			     : 0;
		free(j);
	}
	user_release(&u);
	return rc;
}

int users_grant(struct store *s, const struct refdata *rd, const struct principal *who,
		const char *username, const struct user_spec *spec, struct buf *why)
{
	struct user u;
	int rc = load(s, username, &u, why);
	if (rc != 0)
		return rc;
	char *before = user_json(rd, &u);
	rc = apply_spec(rd, spec, &u, why);
	if (rc == 0) {
		char *after = user_json(rd, &u);
		/* New rights take effect at the next login. */
		rc = store_user_save(s, &u) != 0 || store_session_delete_user(s, u.id) != 0 ||
				     audit_append(s, who, "user.grant", "user", username, before,
						  after) != 0
			     ? -1
			     : 0;
		free(after);
	}
	free(before);
	user_release(&u);
	return rc;
}

int users_set_disabled(struct store *s, const struct principal *who, const char *username,
		       bool disabled, struct buf *why)
{
	struct user u;
	int rc = load(s, username, &u, why);
	if (rc != 0)
		return rc;
	u.disabled = disabled;
	if (!disabled) {
		u.failed_logins = 0;
		free(u.locked_until);
		u.locked_until = NULL;
	}
	rc = store_user_save(s, &u) != 0 || store_session_delete_user(s, u.id) != 0 ||
			     audit_append(s, who, disabled ? "user.disable" : "user.enable", "user",
					  username, NULL, NULL) != 0
		     ? -1
		     : 0;
	user_release(&u);
	return rc;
}

int users_reset_password(struct store *s, const struct auth_config *cfg,
			 const struct principal *who, const char *username, const char *password,
			 struct buf *why)
{
	struct user u;
	int rc = load(s, username, &u, why);
	if (rc != 0)
		return rc;
	rc = set_password(cfg, &u, password, why);
	if (rc == 0)
		rc = store_user_save(s, &u) != 0 || store_session_delete_user(s, u.id) != 0 ||
				     audit_append(s, who, "user.reset_password", "user", username,
						  NULL, NULL) != 0
			     ? -1
			     : 0;
	user_release(&u);
	return rc;
}

int users_ensure_cli(struct store *s)
{
	struct user u;
	int got = store_user_get(s, "cli", &u);
	user_release(&u);
	if (got <= 0)
		return got;
	char now[21];
	now_text(now);
	memset(&u, 0, sizeof(u));
	u.username = "cli";
	u.display_name = "命令行";
	u.role = "system";
	u.created_at = now;
	return store_user_save(s, &u);
}
