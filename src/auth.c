/*
 * auth: roles and permissions, scopes, the password policy and session
 * secrets (see auth.h).
 */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"
#include "util/xalloc.h"

const struct role_info roles[ROLE__COUNT] = {
	[ROLE_SYSTEM] = {"system", "系统账户"},
	[ROLE_ADMIN] = {"admin", "系统管理员"},
	[ROLE_AUDITOR] = {"auditor", "审计员"},
	[ROLE_BUREAU] = {"bureau", "招商局"},
	[ROLE_REGION] = {"region", "县区专员"},
	[ROLE_CHAIN] = {"chain", "产业链专班"},
	[ROLE_SUPERVISOR] = {"supervisor", "督查"},
	[ROLE_LEADER] = {"leader", "领导"},
};

int role_find(const char *key)
{
	for (int i = 0; key && i < ROLE__COUNT; i++)
		if (strcmp(roles[i].key, key) == 0)
			return i;
	return -1;
}

#define B(r) (1u << (r))
#define DATA_READERS \
	(B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION) | B(ROLE_CHAIN) | B(ROLE_SUPERVISOR) | B(ROLE_LEADER))

/* Which roles hold each permission. The admin manages users and reference
 * data but no project data and no audit content; the auditor reads the trail
 * and nothing else (三员分立). */
static const unsigned perm_roles[PERM__COUNT] = {
	[PERM_PUBLIC] = ~0u,
	[PERM_SESSION] = ~0u,
	[PERM_REFDATA] = DATA_READERS | B(ROLE_ADMIN),
	[PERM_REFDATA_WRITE] = B(ROLE_SYSTEM) | B(ROLE_ADMIN),
	[PERM_FIGURES] = DATA_READERS,
	[PERM_PROJECT_READ] = DATA_READERS,
	[PERM_PROJECT_WRITE] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION),
	[PERM_COMPANY_READ] = DATA_READERS,
	[PERM_COMPANY_WRITE] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION) | B(ROLE_CHAIN),
	[PERM_LEAD_READ] = DATA_READERS,
	[PERM_LEAD_WRITE] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION) | B(ROLE_CHAIN),
	[PERM_EFFORT_WRITE] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION),
	[PERM_CHAIN_WRITE] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_CHAIN),
	[PERM_ASSESS] = B(ROLE_SYSTEM) | B(ROLE_SUPERVISOR),
	[PERM_PROGRESS] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_REGION),
	[PERM_DISPATCH] = B(ROLE_SYSTEM) | B(ROLE_BUREAU) | B(ROLE_SUPERVISOR),
	[PERM_VERIFY] = B(ROLE_SYSTEM) | B(ROLE_BUREAU),
	[PERM_USERS] = B(ROLE_SYSTEM) | B(ROLE_ADMIN),
	[PERM_AUDIT] = B(ROLE_AUDITOR),
};

bool role_can(enum role role, enum perm perm)
{
	return perm < PERM__COUNT && role < ROLE__COUNT && (perm_roles[perm] & B(role));
}

static const struct region *find_region(const struct refdata *rd, int64_t id)
{
	for (int i = 0; i < rd->nregions; i++)
		if (rd->regions[i].id == id)
			return &rd->regions[i];
	return NULL;
}

bool principal_sees_region(const struct principal *who, const struct refdata *rd,
			   int64_t region_id)
{
	if (who->role != ROLE_REGION)
		return true;
	/* Walk up from the region: the operator's region must be on the way. */
	for (int depth = 0; region_id && depth < 32; depth++) {
		if (region_id == who->region_id)
			return true;
		const struct region *r = find_region(rd, region_id);
		if (!r)
			return false;
		region_id = r->parent_id;
	}
	return false;
}

bool principal_sees_project(const struct principal *who, const struct refdata *rd,
			    int64_t region_id, int64_t chain_id)
{
	if (who->role == ROLE_CHAIN)
		return chain_id && chain_id == who->chain_id;
	return principal_sees_region(who, rd, region_id);
}

int principal_from_user(struct principal *who, const struct user *u, const char *address)
{
	int role = role_find(u->role);
	if (role < 0)
		return -1;
	memset(who, 0, sizeof(*who));
	who->user_id = u->id;
	snprintf(who->username, sizeof(who->username), "%s", u->username);
	who->role = (enum role)role;
	who->region_id = u->region_id;
	who->chain_id = u->chain_id;
	snprintf(who->address, sizeof(who->address), "%s", address ? address : "");
	return 0;
}

/* ---- configuration ---- */

const struct auth_key auth_keys[] = {
	{"auth.password_min_length", 12, 8, 128, "密码最短长度"},
	{"auth.password_classes", 3, 1, 4, "密码至少包含的字符类别数 (小写、大写、数字、其他)"},
	{"auth.password_max_age_days", 90, 0, 3650, "密码最长使用天数 (0 为不过期)"},
	{"auth.lockout_failures", 5, 1, 100, "连续登录失败多少次后锁定账户"},
	{"auth.lockout_minutes", 15, 1, 1440, "账户锁定分钟数"},
	{"auth.address_failures", 20, 1, 10000, "同一地址在锁定时长内允许的失败登录次数"},
	{"auth.session_idle_minutes", 30, 1, 1440, "会话空闲超时 (分钟)"},
	{"auth.session_hours", 12, 1, 168, "会话最长有效期 (小时)"},
	{"problems.escalation_days", 15, 1, 365, "问题逾期升级后的新期限 (天)"},
	{"amounts.confirm_above_yi", 50, 0, 1000000,
	 "合同投资额超过多少亿元需第二人确认后才计入 (0 为不检查)"},
	{"amounts.confirm_factor", 5, 0, 1000,
	 "合同投资额超过同一投资方其他项目最大值的多少倍需第二人确认 (0 为不检查)"},
	{"leads.claim_days", 180, 0, 3650, "首报首谈:首个报送某企业线索的单位保有对接权的天数 (0 为不设)"},
	{"figures.verified_basis", 0, 0, 1,
	 "统计口径:0 按上报 (reported),1 只计招商局核验过的节点 (verified)"},
	{"assess.weight.signed_count", 25, 0, 100, "考核权重:亿元以上省外签约项目数"},
	{"assess.weight.signed_amount", 20, 0, 100, "考核权重:签约合同投资额"},
	{"assess.weight.register_rate", 10, 0, 100, "考核权重:按期注册率"},
	{"assess.weight.start_rate", 15, 0, 100, "考核权重:按期开工率"},
	{"assess.weight.include_rate", 10, 0, 100, "考核权重:按期入库率"},
	{"assess.weight.overdue_count", 10, 0, 100, "考核权重:逾期事项数 (越少越好)"},
	{"assess.weight.invested_amount", 10, 0, 100, "考核权重:重大项目当月完成投资"},
};

const int auth_nkeys = (int)(sizeof(auth_keys) / sizeof(auth_keys[0]));

int auth_config_load(struct store *s, struct auth_config *c)
{
	int *slots[] = {
		&c->password_min_length, &c->password_classes, &c->password_max_age_days,
		&c->lockout_failures,    &c->lockout_minutes,  &c->address_failures,
		&c->session_idle_minutes, &c->session_hours,
	};
	for (int i = 0; i < (int)(sizeof(slots) / sizeof(slots[0])); i++) {
		char *v = NULL;
		if (store_meta_get(s, auth_keys[i].key, &v) != 0)
			return -1;
		long n = v ? strtol(v, NULL, 10) : auth_keys[i].def;
		*slots[i] = n >= auth_keys[i].min && n <= auth_keys[i].max ? (int)n : auth_keys[i].def;
		free(v);
	}
	return 0;
}

/* ---- passwords and tokens ---- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_setup(void)
{
	if (sodium_init() < 0)
		abort();
}

int password_check(const struct auth_config *c, const char *pw, const char *username,
		   struct buf *why)
{
	int chars = 0;
	bool lower = false, upper = false, digit = false, other = false;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p >= 'a' && *p <= 'z')
			lower = true;
		else if (*p >= 'A' && *p <= 'Z')
			upper = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
		else
			other = true;
	}
	int classes = lower + upper + digit + other;
	if (chars < c->password_min_length) {
		buf_addf(why, "密码至少需要 %d 个字符", c->password_min_length);
		return -1;
	}
	if (classes < c->password_classes) {
		buf_addf(why, "密码需包含小写字母、大写字母、数字、其他符号中的至少 %d 类",
			 c->password_classes);
		return -1;
	}
	if (username && *username && strstr(pw, username)) {
		buf_adds(why, "密码不能包含用户名");
		return -1;
	}
	return 0;
}

int password_hash(const char *pw, char out[128])
{
	pthread_once(&sodium_once, sodium_setup);
	/* Argon2id, 2 passes over 19 MiB (at least what the policy asks). */
	return crypto_pwhash_str_alg(out, pw, strlen(pw), 2, 19u << 20,
				     crypto_pwhash_ALG_ARGON2ID13) == 0
		       ? 0
		       : -1;
}

bool password_verify(const char *hash, const char *pw)
{
	pthread_once(&sodium_once, sodium_setup);
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void password_generate(char out[17])
{
	static const char *const sets[] = {"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ",
					   "23456789", "#%+-=@^_"};
	pthread_once(&sodium_once, sodium_setup);
	for (int i = 0; i < 16; i++) {
		/* One of each class first, then any; then shuffled. */
		const char *set = sets[i < 4 ? (uint32_t)i : randombytes_uniform(4)];
		out[i] = set[randombytes_uniform((uint32_t)strlen(set))];
	}
	for (int i = 15; i > 0; i--) {
		uint32_t j = randombytes_uniform((uint32_t)i + 1);
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	out[16] = '\0';
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

void token_new(char out[33])
{
	unsigned char b[16];
	pthread_once(&sodium_once, sodium_setup);
	randombytes_buf(b, sizeof(b));
	hex(b, sizeof(b), out);
	sodium_memzero(b, sizeof(b));
}

void token_hash(const char *text, char out[65])
{
	sha256_hex(text, strlen(text), out);
}

void csrf_token(const char *session_token, char out[65])
{
	char *t = xstrfmt("zhaoshang-csrf:%s", session_token);
	token_hash(t, out);
	secret_wipe(t, strlen(t));
	free(t);
}

bool token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

void secret_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}
