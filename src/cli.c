/*
 * cli: shared helpers of the subcommands (see cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/date.h"
#include "users.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct cli cli = {"zhaoshang.db", "cli"};

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("zhaoshang: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

int cli_open(struct store **s, struct refdata *rd)
{
	char *err = NULL;
	if (store_open(cli.db, false, s, &err) != 0) {
		cli_fail(EXIT_FAIL, "%s", err);
		free(err);
		return -1;
	}
	int version = 0;
	store_schema_version(*s, &version);
	if (version == 0) {
		cli_fail(EXIT_FAIL, "数据库 %s 尚未初始化 (先运行 zhaoshang init)", cli.db);
		goto fail;
	}
	if (store_migrate(*s, NULL) != 0) {
		cli_fail(EXIT_FAIL, "数据库迁移失败: %s", store_error(*s));
		goto fail;
	}
	if (store_refdata_load(*s, rd) != 0) {
		cli_fail(EXIT_FAIL, "读取基础数据失败: %s", store_error(*s));
		goto fail;
	}
	return 0;
fail:
	store_close(*s);
	*s = NULL;
	return -1;
}

int cli_actor(struct store *s, enum perm perm, struct principal *who)
{
	if (strcmp(cli.user, "cli") == 0 && users_ensure_cli(s) != 0) {
		cli_fail(EXIT_FAIL, "%s", store_error(s));
		return -1;
	}
	struct user u;
	int got = store_user_get(s, cli.user, &u);
	if (got != 0) {
		if (got < 0)
			cli_fail(EXIT_FAIL, "%s", store_error(s));
		else
			cli_fail(EXIT_FAIL, "没有用户 %s (--user)", cli.user);
		return -1;
	}
	int rc = 0;
	if (u.disabled)
		rc = -1, cli_fail(EXIT_FAIL, "用户 %s 已停用", cli.user);
	else if (principal_from_user(who, &u, "local") != 0 || !role_can(who->role, perm))
		rc = -1, cli_fail(EXIT_FAIL, "用户 %s (%s) 无权执行此命令", cli.user, u.role);
	user_release(&u);
	return rc;
}

void cli_close(struct store *s, struct refdata *rd)
{
	if (rd)
		refdata_release(rd);
	store_close(s);
}

int cli_today(int32_t *today)
{
	const char *err;
	if (date_today(today, &err) != 0) {
		cli_fail(EXIT_USAGE, "ZHAOSHANG_NOW 无效: %s", err);
		return -1;
	}
	return 0;
}

int cli_date_arg(const char *option, const char *value, int32_t *out)
{
	if (date_parse_iso(value, out) != 0) {
		cli_fail(EXIT_USAGE, "%s 的值 \"%s\" 不是有效日期 (应为 YYYY-MM-DD)", option, value);
		return -1;
	}
	return 0;
}

int cli_year_arg(const char *option, const char *value, int *out)
{
	char *end;
	long v = strtol(value, &end, 10);
	if (*end || end == value || v < 1900 || v > 9999) {
		cli_fail(EXIT_USAGE, "%s 的值 \"%s\" 不是有效年份", option, value);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_fail(EXIT_FAIL, "写入标准输出失败: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	/* Write beside the target, then rename: a reader never sees half a file. */
	struct buf tmp = BUF_INIT;
	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp.data, "wb");
	int rc = -1;
	if (!f) {
		cli_fail(EXIT_FAIL, "无法写入 %s: %s", path, strerror(errno));
		goto out;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	ok = (fflush(f) == 0) && ok;
	ok = (fsync(fileno(f)) == 0) && ok;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp.data, path) != 0) {
		cli_fail(EXIT_FAIL, "无法写入 %s: %s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	rc = 0;
out:
	buf_release(&tmp);
	return rc;
}

int cli_read_file(const char *path, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		cli_fail(EXIT_FAIL, "无法读取 %s: %s", path, strerror(errno));
		return -1;
	}
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	int err = ferror(f);
	if (f != stdin)
		fclose(f);
	if (err) {
		cli_fail(EXIT_FAIL, "读取 %s 失败", path);
		buf_release(&b);
		return -1;
	}
	*len = b.len;
	*data = buf_detach(&b);
	return 0;
}
