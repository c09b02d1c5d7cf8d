/*
 * auth: who may do what (DOMAIN.md, "Who uses it"), the password policy, and
 * the secrets of sessions.
 *
 * Roles grant permissions (role_can()); region operators and chain task
 * forces are further limited to their region subtree or chain
 * (principal_sees_project() and friends). Passwords are hashed with Argon2id
 * (libsodium, 2 passes over 19 MiB); session and CSRF tokens are 128 random
 * bits, stored only as their SHA-256.
 */
#ifndef ZS_AUTH_H
#define ZS_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

enum role {
	ROLE_SYSTEM, /* the command line's account "cli"; cannot log in */
	ROLE_ADMIN,
	ROLE_AUDITOR,
	ROLE_BUREAU,
	ROLE_REGION,
	ROLE_CHAIN,
	ROLE_SUPERVISOR,
	ROLE_LEADER,
	ROLE__COUNT
};

struct role_info {
	const char *key, *label;
};

extern const struct role_info roles[ROLE__COUNT];
/* The role with this key, or -1. */
int role_find(const char *key);

enum perm {
	PERM_PUBLIC,        /* no session needed */
	PERM_SESSION,       /* any user with a session */
	PERM_REFDATA,       /* read reference data */
	PERM_REFDATA_WRITE, /* change reference data and configuration */
	PERM_FIGURES,       /* city-wide aggregate figures and rankings */
	PERM_PROJECT_READ,  /* project records (scoped) */
	PERM_PROJECT_WRITE, /* enter and change projects (scoped) */
	PERM_COMPANY_READ,  /* the investor database */
	PERM_COMPANY_WRITE,
	PERM_LEAD_READ,     /* leads (scoped like projects) */
	PERM_LEAD_WRITE,
	PERM_EFFORT_WRITE,  /* campaigns, events, trips, stationed teams */
	PERM_CHAIN_WRITE,   /* chain maps (a task force: its own chain) */
	PERM_ASSESS,        /* publish the monthly assessment, answer objections */
	PERM_PROGRESS,      /* major projects' plans and monthly progress, problems (scoped) */
	PERM_DISPATCH,      /* dispatch meetings' decisions */
	PERM_VERIFY,        /* the city bureau's checks: duplicates merged or marked distinct */
	PERM_USERS,         /* manage users */
	PERM_AUDIT,         /* read and verify the audit trail */
	PERM__COUNT
};

bool role_can(enum role role, enum perm perm);

/* The one acting: a logged-in user, or the command line's named user. */
struct principal {
	int64_t user_id;
	char username[64];
	enum role role;
	int64_t region_id, chain_id; /* scope (0: none) */
	char address[64];            /* client address, "local" for the CLI */
};

/* Region operators see their region's subtree; everyone else every region. */
bool principal_sees_region(const struct principal *who, const struct refdata *rd,
			   int64_t region_id);
/* Can read project p (region subtree; a chain task force: its chain). */
bool principal_sees_project(const struct principal *who, const struct refdata *rd,
			    int64_t region_id, int64_t chain_id);
/* Fills the principal from a user row; -1 for an unknown role. */
int principal_from_user(struct principal *who, const struct user *u, const char *address);

/* ---- configuration (meta keys "auth.*", defaults below) ---- */

struct auth_config {
	int password_min_length;   /* 12 */
	int password_classes;      /* 3 of: lower, upper, digit, other */
	int password_max_age_days; /* 90; 0: never expires */
	int lockout_failures;      /* 5 */
	int lockout_minutes;       /* 15 */
	int address_failures;      /* 20 failed logins per address per lockout period */
	int session_idle_minutes;  /* 30 */
	int session_hours;         /* 12 */
};

struct auth_key {
	const char *key; /* meta key */
	int def, min, max;
	const char *label;
};
extern const struct auth_key auth_keys[];
extern const int auth_nkeys;

int auth_config_load(struct store *s, struct auth_config *c);

/* ---- passwords and tokens ---- */

/* Checks a new password against the policy; 0, or -1 with the reason. */
int password_check(const struct auth_config *c, const char *password, const char *username,
		   struct buf *why);
/* Argon2id string into out (crypto_pwhash_STRBYTES = 128 bytes). 0 or -1. */
int password_hash(const char *password, char out[128]);
bool password_verify(const char *hash, const char *password);
/* A random password that meets any policy up to 16 characters and 4 classes. */
void password_generate(char out[17]);
/* 128 random bits as 32 hex digits. */
void token_new(char out[33]);
/* The CSRF token of a session: derived from its secret token, so the server
 * keeps nothing more and can hand it out again (GET /api/session). */
void csrf_token(const char *session_token, char out[65]);
/* SHA-256 of text as 64 hex digits. */
void token_hash(const char *text, char out[65]);
/* Constant-time comparison of two equal-length strings. */
bool token_equal(const char *a, const char *b);
/* Zeroes memory the compiler may not skip. */
void secret_wipe(void *p, size_t n);

#endif
