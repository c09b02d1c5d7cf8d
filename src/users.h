/*
 * users: creating and changing user accounts, for the command line (and the
 * API where it offers the same). Every change is checked (name, role, scope,
 * password policy) and audited; none of these functions writes a password
 * or its hash anywhere but the users table. The caller owns the
 * transaction.
 */
#ifndef ZS_USERS_H
#define ZS_USERS_H

#include <stdbool.h>

#include "auth.h"
#include "store/store.h"
#include "util/buf.h"

struct user_spec {
	const char *role;         /* a role key (not "system") */
	const char *region;       /* region name/path/code: required for "region" */
	const char *chain;        /* chain name: required for "chain" */
	const char *display_name; /* may be NULL */
};

/* Each returns 0, 1 when the input is wrong (why says what), or -1 on a
 * storage failure (store_error()). */
int users_add(struct store *s, const struct refdata *rd, const struct auth_config *cfg,
	      const struct principal *who, const char *username, const struct user_spec *spec,
	      const char *password, struct buf *why);
int users_grant(struct store *s, const struct refdata *rd, const struct principal *who,
		const char *username, const struct user_spec *spec, struct buf *why);
int users_set_disabled(struct store *s, const struct principal *who, const char *username,
		       bool disabled, struct buf *why);
int users_reset_password(struct store *s, const struct auth_config *cfg,
			 const struct principal *who, const char *username, const char *password,
			 struct buf *why);

/* The command line's own account "cli" (role system), made when missing. */
int users_ensure_cli(struct store *s);

#endif
