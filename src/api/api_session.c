/*
 * api_session: logging in and out, who am I, changing one's password.
 *
 * Sessions live in the database (several servers share them): the cookie
 * holds a random 128-bit token, the table only its SHA-256. A login makes a
 * new session (the one the request came with, if any, ends), so a session
 * id planted before login is worthless. Failed logins count per account
 * (lockout after auth.lockout_failures, for auth.lockout_minutes) and per
 * address (auth.address_failures in the same period); every attempt is
 * audited. Writes here do not raise the data version: no cached reply
 * depends on them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain/date.h"
#include "http/http.h"
#include "refdata.h"
#include "util/json.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The principal for audit rows about a login attempt: the name as typed. */
static void attempt_principal(struct req *r, const char *username, struct principal *who)
{
	memset(who, 0, sizeof(*who));
	size_t n = text_utf8_prefix(username, sizeof(who->username) - 1);
	memcpy(who->username, username, n);
	who->username[n] = '\0';
	snprintf(who->address, sizeof(who->address), "%s", r->address);
}

static void set_cookie(struct req *r, const char *token, int max_age)
{
	free(r->set_cookie);
	r->set_cookie = xstrfmt("%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
				session_cookie_name(r), token, max_age, r->https ? "; Secure" : "");
}

static const char *name_of(const struct named *list, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (list[i].id == id)
			return list[i].name;
	return NULL;
}

static const char *region_name(const struct refdata *rd, int64_t id)
{
	for (int i = 0; i < rd->nregions; i++)
		if (rd->regions[i].id == id)
			return rd->regions[i].name;
	return NULL;
}

/* {"user","display_name","role","role_label","region","chain","csrf_token",
 * "password_expired"} */
static void reply_session(struct req *r, const struct user *u, const char *token, bool expired)
{
	int role = role_find(u->role);
	char csrf[65];
	csrf_token(token, csrf);
	struct jw w;
	buf_reset(&r->body);
	jw_init(&w, &r->body);
	jw_obj(&w);
	jw_kstr(&w, "user", u->username);
	jw_kstr(&w, "display_name", u->display_name);
	jw_kstr(&w, "role", u->role);
	jw_kstr(&w, "role_label", role >= 0 ? roles[role].label : NULL);
	jw_kstr(&w, "region", u->region_id ? region_name(r->rd, u->region_id) : NULL);
	jw_kstr(&w, "chain",
		u->chain_id ? name_of(r->rd->chains, r->rd->nchains, u->chain_id) : NULL);
	jw_kstr(&w, "csrf_token", csrf);
	jw_kbool(&w, "password_expired", expired);
	jw_kint(&w, "idle_timeout_seconds", (int64_t)r->auth->session_idle_minutes * 60);
	jw_obj_end(&w);
	reply_json(r, 200);
}

static bool password_is_expired(const struct auth_config *cfg, const struct user *u,
				int32_t today)
{
	int32_t changed;
	return cfg->password_max_age_days > 0 && u->password_changed_at &&
	       date_parse_now(u->password_changed_at, &changed) == 0 &&
	       today - changed > cfg->password_max_age_days;
}

/* A verification against a fixed hash, so that an unknown name costs as
 * long as a wrong password (no user enumeration by timing). */
static char equalise_hash[128];
static pthread_once_t equalise_once = PTHREAD_ONCE_INIT;

static void equalise_init(void)
{
	password_hash("zhaoshang-timing-equaliser", equalise_hash);
}

static void equalise_timing(const char *password)
{
	pthread_once(&equalise_once, equalise_init);
	password_verify(equalise_hash, password);
}

void api_session_create(struct req *r)
{
	static const char *const allowed[] = {"username", "password", NULL};
	const char *username, *password;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "username", &username) != 0 ||
	    req_body_string(r, "password", &password) != 0)
		return;
	if (!username || !*username) {
		reply_error(r, 400, "invalid_field", "username", "缺少用户名 username");
		return;
	}
	if (!password || !*password) {
		reply_error(r, 400, "invalid_field", "password", "缺少密码 password");
		return;
	}
	const struct auth_config *cfg = r->auth;
	struct principal who;
	attempt_principal(r, username, &who);
	char now_text[21], since[21];
	date_format_utc(r->now, now_text);
	date_format_utc(r->now - (int64_t)cfg->lockout_minutes * 60, since);

	/* Too many failures from this address: refused before any check. */
	int64_t failures;
	if (store_login_failures(r->store, r->address, since, &failures) != 0) {
		reply_store_error(r);
		return;
	}
	if (failures >= cfg->address_failures) {
		if (store_begin(r->store) != 0 ||
		    audit_append(r->store, &who, "login_rate_limited", "user", who.username, NULL,
				 NULL) != 0 ||
		    store_commit_quiet(r->store) != 0) {
			store_rollback(r->store);
			reply_store_error(r);
			return;
		}
		reply_error(r, 429, "too_many_attempts", NULL,
			    "该地址登录失败次数过多,请 %d 分钟后再试", cfg->lockout_minutes);
		return;
	}

	struct user u;
	int got = store_user_get(r->store, username, &u);
	if (got < 0) {
		reply_store_error(r);
		return;
	}
	bool known = got == 0 && u.password_hash && strcmp(u.role, "system") != 0;
	bool locked = known && u.locked_until && strcmp(u.locked_until, now_text) > 0;
	const char *failure = NULL;
	if (!known) {
		equalise_timing(password);
		failure = got == 0 ? "no_password" : "unknown_user";
	} else if (u.disabled) {
		equalise_timing(password);
		failure = "disabled";
	} else if (locked) {
		failure = "locked";
	} else if (!password_verify(u.password_hash, password)) {
		failure = "bad_password";
	}

	if (store_begin(r->store) != 0) {
		user_release(&u);
		reply_store_error(r);
		return;
	}
	int status = 0;
	bool now_locked = false;
	if (failure) {
		char detail[64];
		snprintf(detail, sizeof(detail), "{\"reason\":\"%s\"}", failure);
		int rc = audit_append(r->store, &who, locked ? "login_locked" : "login_failed", "user",
				      who.username, NULL, detail);
		if (rc == 0 && known && !locked && !u.disabled) {
			u.failed_logins++;
			if (u.failed_logins >= cfg->lockout_failures) {
				char until[21];
				date_format_utc(r->now + (int64_t)cfg->lockout_minutes * 60, until);
				free(u.locked_until);
				u.locked_until = xstrdup(until);
				u.failed_logins = 0;
				now_locked = true;
				snprintf(detail, sizeof(detail), "{\"locked_until\":\"%s\"}", until);
				rc = audit_append(r->store, &who, "lockout", "user", u.username, NULL,
						  detail);
			}
			if (rc == 0)
				rc = store_user_save(r->store, &u);
		}
		status = rc == 0 ? (locked || now_locked ? 403 : 401) : -1;
	} else {
		char token[33], hash[65];
		token_new(token);
		token_hash(token, hash);
		u.failed_logins = 0;
		free(u.locked_until);
		u.locked_until = NULL;
		struct principal me;
		principal_from_user(&me, &u, r->address);
		/* A new session at each login; the one the request came with ends. */
		const char *old = req_session_cookie(r);
		char old_hash[65];
		if (old)
			token_hash(old, old_hash);
		if (store_user_save(r->store, &u) != 0 ||
		    (old && store_session_delete(r->store, old_hash) != 0) ||
		    store_session_insert(r->store, hash, u.id, r->now, r->address) != 0 ||
		    audit_append(r->store, &me, "login", "user", u.username, NULL, NULL) != 0) {
			status = -1;
		} else {
			status = 200;
			set_cookie(r, token, cfg->session_hours * 3600);
			if (store_commit_quiet(r->store) == 0)
				reply_session(r, &u, token, password_is_expired(cfg, &u, r->today));
			else
				status = -1;
		}
		secret_wipe(token, sizeof(token));
	}
	if (status == 401 || status == 403) {
		if (store_commit_quiet(r->store) != 0)
			status = -1;
	}
	if (status < 0) {
		store_rollback(r->store);
		free(r->set_cookie);
		r->set_cookie = NULL;
		reply_store_error(r);
	} else if (status == 401) {
		reply_error(r, 401, "login_failed", NULL, "用户名或密码错误");
	} else if (status == 403) {
		reply_error(r, 403, "account_locked", NULL,
			    "连续登录失败次数过多,账户已锁定 %d 分钟", cfg->lockout_minutes);
	}
	user_release(&u);
}

void api_session_get(struct req *r)
{
	struct user u;
	int got = store_user_get_id(r->store, r->who->user_id, &u);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 401, "unauthenticated", NULL, "用户不存在");
		return;
	}
	reply_session(r, &u, r->session_token, r->password_expired);
	user_release(&u);
}

void api_session_delete(struct req *r)
{
	char hash[65];
	token_hash(r->session_token, hash);
	if (store_begin(r->store) != 0 || store_session_delete(r->store, hash) != 0 ||
	    audit_append(r->store, r->who, "logout", "user", r->who->username, NULL, NULL) != 0 ||
	    store_commit_quiet(r->store) != 0) {
		store_rollback(r->store);
		reply_store_error(r);
		return;
	}
	set_cookie(r, "", 0);
	buf_adds(&r->body, "{\"ok\":true}");
	reply_json(r, 200);
}

void api_session_password(struct req *r)
{
	static const char *const allowed[] = {"old_password", "new_password", NULL};
	const char *old_pw, *new_pw;
	if (req_only_keys(r, allowed) != 0 || req_body_string(r, "old_password", &old_pw) != 0 ||
	    req_body_string(r, "new_password", &new_pw) != 0)
		return;
	if (!old_pw || !*old_pw) {
		reply_error(r, 400, "invalid_field", "old_password", "缺少原密码 old_password");
		return;
	}
	if (!new_pw || !*new_pw) {
		reply_error(r, 400, "invalid_field", "new_password", "缺少新密码 new_password");
		return;
	}
	struct user u;
	int got = store_user_get_id(r->store, r->who->user_id, &u);
	if (got != 0) {
		if (got < 0)
			reply_store_error(r);
		else
			reply_error(r, 401, "unauthenticated", NULL, "用户不存在");
		return;
	}
	struct buf why = BUF_INIT;
	char hash[128];
	if (!password_verify(u.password_hash, old_pw)) {
		reply_error(r, 403, "wrong_password", "old_password", "原密码不正确");
	} else if (strcmp(old_pw, new_pw) == 0) {
		reply_error(r, 400, "invalid_field", "new_password", "新密码不能与原密码相同");
	} else if (password_check(r->auth, new_pw, u.username, &why) != 0) {
		reply_error(r, 400, "invalid_field", "new_password", "%s", buf_cstr(&why));
	} else if (password_hash(new_pw, hash) != 0) {
		reply_error(r, 500, "internal", NULL, "无法计算密码哈希");
	} else {
		char now[21];
		date_format_utc(r->now, now);
		free(u.password_hash);
		u.password_hash = xstrdup(hash);
		free(u.password_changed_at);
		u.password_changed_at = xstrdup(now);
		if (store_begin(r->store) != 0 || store_user_save(r->store, &u) != 0 ||
		    audit_append(r->store, r->who, "password.change", "user", u.username, NULL,
				 NULL) != 0 ||
		    store_commit_quiet(r->store) != 0) {
			store_rollback(r->store);
			reply_store_error(r);
		} else {
			buf_adds(&r->body, "{\"ok\":true}");
			reply_json(r, 200);
		}
		secret_wipe(hash, sizeof(hash));
	}
	buf_release(&why);
	user_release(&u);
}
